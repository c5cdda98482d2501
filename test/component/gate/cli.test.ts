import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../src/cli/main.js'
import { gateSchema } from '../../../src/contracts/gate.js'
import { binaryRows, flips, writeResultsDir } from '../../unit/gate/builders.js'

async function gate(f: ReturnType<typeof flips>, extra: string[] = []) {
  const dir = await mkdtemp(path.join(tmpdir(), 'llmops-gate-cli-'))
  const results = await writeResultsDir(
    path.join(dir, 'results'),
    binaryRows('qa', 'exact_match', f),
  )
  const stderr = new PassThrough()
  let log = ''
  stderr.on('data', (d: Buffer) => (log += d.toString()))
  const code = await runCli(
    ['gate', '--baseline', results, '--candidate', results, '--out', 'gate', ...extra],
    {
      env: {},
      cwd: dir,
      stdout: new PassThrough(),
      stderr,
      signal: new AbortController().signal,
    },
  )
  const gateJson = gateSchema.parse(
    JSON.parse(await readFile(path.join(dir, 'gate/gate.json'), 'utf8')),
  )
  return { code, gateJson, dir, log }
}

describe('llmops gate on results written per the contract', () => {
  it('fails a 5-point drop at n = 500 (exit 1)', async () => {
    const r = await gate(flips(500, { regress: 25 }))
    expect(r.code).toBe(1)
    expect(r.gateJson.verdict).toBe('fail')
    expect(await readFile(path.join(r.dir, 'gate/junit.xml'), 'utf8')).toContain('<failure ')
  })

  it('passes an identical rerun (exit 0)', async () => {
    const r = await gate(flips(500))
    expect(r.code).toBe(0)
    expect(r.gateJson.verdict).toBe('pass')
  })

  it('does not fail one flip in 20 cases; inconclusive follows --on-inconclusive', async () => {
    const r = await gate(flips(20, { regress: 1 }))
    expect(r.gateJson.verdict).toBe('inconclusive')
    expect(r.code).toBe(0)
    expect((await gate(flips(20, { regress: 1 }), ['--on-inconclusive', 'fail'])).code).toBe(1)
  })

  it('skips posting without a PR context, saying so', async () => {
    const r = await gate(flips(50), ['--comment', '--check'])
    expect(r.code).toBe(0)
    expect(r.log).toContain('no pull request in this context')
  })

  it('rejects a malformed results line as data, naming file and line (exit 2)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'llmops-gate-bad-'))
    const results = await writeResultsDir(path.join(dir, 'r'), binaryRows('qa', 'em', flips(5)))
    const { appendFile } = await import('node:fs/promises')
    await appendFile(path.join(results, 'results.jsonl'), '{"suite": 1}\n')
    const stderr = new PassThrough()
    let log = ''
    stderr.on('data', (d: Buffer) => (log += d.toString()))
    const code = await runCli(['gate', '--baseline', results, '--candidate', results], {
      env: {},
      cwd: dir,
      stdout: new PassThrough(),
      stderr,
      signal: new AbortController().signal,
    })
    expect(code).toBe(2)
    expect(log).toContain('results.jsonl:11:')
  })
})

describe('llmops report', () => {
  it('posts report.md without its marker lines and the check summary, for the PR given', async () => {
    const { createReportCommand } = await import('../../../src/report/command.js')
    const { memoryLogger } = await import('../../../src/core/logger.js')
    const r = await gate(flips(500, { regress: 25 }))
    const calls: {
      body?: string
      summary?: string
      conclusion?: string
      pr?: number
      sha?: string
    } = {}
    const command = createReportCommand({
      publisher: () =>
        Promise.resolve({
          comments: {
            upsert: (input) => {
              Object.assign(calls, { body: input.body, pr: input.pr.number, sha: input.headSha })
              return Promise.resolve({ id: 1, url: 'u', action: 'created' as const })
            },
          },
          checks: {
            create: (input) => {
              Object.assign(calls, { summary: input.summary, conclusion: input.conclusion })
              return Promise.resolve({ id: 2, url: 'c' })
            },
          },
        }),
    })
    const sha = 'd'.repeat(40)
    const result = await command.run({
      argv: ['--gate', 'gate', '--comment', '--check', '--pr', '12', '--sha', sha],
      env: { GITHUB_REPOSITORY: 'acme/models' },
      cwd: r.dir,
      stdout: new PassThrough(),
      logger: memoryLogger(),
      signal: new AbortController().signal,
      inAction: false,
    })
    expect(result.outputs?.verdict).toBe('fail')
    expect(calls.pr).toBe(12)
    expect(calls.sha).toBe(sha)
    expect(calls.conclusion).toBe('failure')
    expect(calls.body?.startsWith('### ❌ Fail')).toBe(true)
    expect(calls.summary).toContain('qa/exact\\_match')
  })
})
