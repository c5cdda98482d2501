import { describe, expect, it } from 'vitest'
import { commands } from '../../../src/cli/registry.js'
import pkg from '../../../package.json' with { type: 'json' }
import { runCliCaptured } from '../../helpers/run-cli.js'

const cli = (argv: string[], env: Record<string, string> = {}) => runCliCaptured(argv, { env })

describe('llmops CLI', () => {
  it('lists every command of the design in --help', async () => {
    const { code, out } = await cli(['--help'])
    expect(code).toBe(0)
    for (const name of [
      'eval',
      'merge',
      'bench',
      'gate',
      'score',
      'report',
      'command',
      'deploy',
      'finetune',
      'demo',
    ]) {
      expect(out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'))
    }
    expect(commands.map((c) => c.name)).toEqual([...new Set(commands.map((c) => c.name))])
  })

  it('prints the package version', async () => {
    expect(await cli(['--version'])).toMatchObject({ code: 0, out: `${pkg.version}\n` })
  })

  it('exits 2 without a command, printing help', async () => {
    const { code, out } = await cli([])
    expect(code).toBe(2)
    expect(out).toContain('usage: llmops <command>')
  })

  it('suggests the closest command for a typo and exits 2', async () => {
    const { code, err } = await cli(['benhc'])
    expect(code).toBe(2)
    expect(err).toBe(
      "error: unknown command 'benhc'. Did you mean 'bench'? Run 'llmops --help' for the list.\n",
    )
  })

  it('shows per-command help', async () => {
    const { code, out } = await cli(['gate', '--help'])
    expect(code).toBe(0)
    expect(out).toContain('usage: llmops gate --baseline D')
  })

  it('validate reports every problem with file:line:col and exits 2', async () => {
    const { code, err } = await cli([
      'validate',
      '--config',
      'fixtures/config/invalid/10-duplicate-suite.yml',
    ])
    expect(code).toBe(2)
    expect(err).toBe(
      "error: fixtures/config/invalid/10-duplicate-suite.yml:5:11: suites[1].name: duplicate suite name 'qa' (first at suites[0])\n",
    )
  })

  it('validate lists several problems on their own lines', async () => {
    const { code, err } = await cli([
      'validate',
      '--config',
      'fixtures/config/invalid/08-unset-var.yml',
    ])
    expect(code).toBe(2)
    expect(err).toContain(
      '08-unset-var.yml:4:15: providers.candidate.base_url: environment variable LLMOPS_TEST_UNSET_URL is not set',
    )
    expect(err).not.toMatch(/\n\s+at /)
  })

  it('validate accepts the design sketch', async () => {
    const env = {
      CANDIDATE_URL: 'http://127.0.0.1:8000/v1',
      BASELINE_URL: 'http://127.0.0.1:8001/v1',
      JUDGE_URL: 'http://127.0.0.1:8002/v1',
      RAY_ADDRESS: 'http://127.0.0.1:8265',
    }
    const { code, out } = await cli(
      ['validate', '--config', 'fixtures/config/valid/design-sketch.yml'],
      env,
    )
    expect(code).toBe(0)
    expect(out).toMatch(
      /design-sketch\.yml: ok \(3 provider\(s\), 2 suite\(s\), 1 benchmark scenario\(s\), 3 gate\(s\)\)/,
    )
  })

  it('a missing config file is a configuration error (exit 2)', async () => {
    const { code, err } = await cli(['validate', '--config', 'nope.yml'])
    expect(code).toBe(2)
    expect(err).toContain('nope.yml: configuration file not found')
  })

  it('rejects unknown flags with usage (exit 2)', async () => {
    const { code, err } = await cli(['validate', '--cofnig', 'x'])
    expect(code).toBe(2)
    expect(err).toContain("Unknown option '--cofnig'")
    expect(err).toContain('usage: llmops validate')
  })
})
