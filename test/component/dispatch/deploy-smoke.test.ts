import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import { runCliCaptured } from '../../helpers/run-cli.js'

let sim: SimServer
let dir: string
const sha = 'b'.repeat(40)

describe('llmops deploy runs the configured smoke evaluation', () => {
  beforeAll(async () => {
    const rules = [{ match: 'code word: ([a-z]+-\\d+)', reply: { template: '{{1}}' } }]
    sim = await startSimServer({
      profile: {
        models: {
          healthy: { rules },
          broken: { rules, degrade: { rate: 1, seed: 1, mode: 'wrong' } },
        },
      },
    })
    dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-smoke-'))
    const cases = Array.from({ length: 6 }, (_, i) => `{ w: "otter-${i}" }`).join(', ')
    await writeFile(
      path.join(dir, 'llmops.yml'),
      [
        'version: 1',
        'providers:',
        `  staging: { base_url: "${sim.url}", model: healthy }`,
        `  canary: { base_url: "${sim.url}", model: broken }`,
        'suites:',
        '  - name: smoke',
        `    cases: [${cases}]`,
        '    prompt: "Repeat exactly the code word: {{ w }}"',
        '    reference: w',
        '    generation: { temperature: 0, max_tokens: 8 }',
        '    metrics: [exact]',
        'deploy:',
        '  environments:',
        '    staging: { smoke: { suite: smoke, provider: staging, min_score: 0.9 } }',
        '    canary: { smoke: { suite: smoke, provider: canary, min_score: 0.9 } }',
      ].join('\n'),
    )
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('a healthy endpoint passes the smoke evaluation and the deploy succeeds', async () => {
    const r = await runCliCaptured(
      ['deploy', '--environment', 'staging', '--sha', sha, '--config', 'llmops.yml', '--no-github'],
      { cwd: dir },
    )
    expect(r.out).toBe('success\n')
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/smoke evaluation: 6\/6 cases scored \(exact 1\.000\)/)
  })

  it('a broken endpoint fails the smoke evaluation: failure, exit 1, and the summary says why', async () => {
    const r = await runCliCaptured(
      ['deploy', '--environment', 'canary', '--sha', sha, '--config', 'llmops.yml', '--no-github'],
      { cwd: dir },
    )
    expect(r.out).toBe('failure\n')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/smoke evaluation: 6\/6 cases scored \(exact 0\.000\); below 0\.9: exact/)
  })
})
