import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { runMergeCommand } from '../../../src/eval/merge-command.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import {
  comparable,
  comparableSummary,
  evalCli,
  exampleProfile,
  exampleSuites,
  readOut,
  simProviders,
  writeConfig,
} from './helpers.js'

let sim: SimServer
beforeEach(async () => {
  sim = await startSimServer({ profile: await exampleProfile() })
})
afterEach(async () => {
  await sim.close()
})

describe('resume', () => {
  it('after a kill that left half the lines and a cut-off one, resumes to the same results as a clean run', async () => {
    const dir = await writeConfig({ providers: simProviders(sim.url), suites: exampleSuites() })
    await evalCli(dir, ['--out', 'clean', '--no-cache'])
    const clean = await readOut(path.join(dir, 'clean'))
    const lines = (await readFile(path.join(dir, 'clean', 'results.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
    const half = Math.floor(lines.length / 2)
    await mkdir(path.join(dir, 'resumed'))
    await writeFile(
      path.join(dir, 'resumed', 'results.jsonl'),
      `${lines.slice(0, half).join('\n')}\n${lines[half]!.slice(0, 50)}`,
    )
    const chats = () => sim.stats.byPath['POST /v1/chat/completions'] ?? 0
    const served = chats()
    const missingQa = lines.slice(half).filter((l) => l.startsWith('{"suite":"qa"')).length
    const { result, lines: log } = await evalCli(dir, [
      '--out',
      'resumed',
      '--no-cache',
      '--resume',
    ])
    expect(result.exitCode).toBe(0)
    expect(log.some((l) => l.includes('dropped a cut-off last line'))).toBe(true)
    expect(log).toContain(`eval: resuming, ${half} of 36 cases already finished`)
    const resumed = await readOut(path.join(dir, 'resumed'))
    expect(comparable(resumed.rows)).toEqual(comparable(clean.rows))
    expect(comparableSummary(resumed.summary)).toEqual(comparableSummary(clean.summary))
    // Only the unfinished QA cases were asked again (one chat request each).
    expect(missingQa).toBeGreaterThan(0)
    expect(chats() - served).toBe(missingQa)
  })

  it('stops cleanly when cancelled, keeps whole lines only, and --resume completes the run', async () => {
    const profile = await exampleProfile()
    for (const m of Object.values(profile.models)) m.timing.ttft_ms = 30
    await sim.close()
    sim = await startSimServer({ profile })
    const dir = await writeConfig({
      providers: simProviders(sim.url, { concurrency: 2 }),
      suites: exampleSuites(),
    })
    const controller = new AbortController()
    const file = path.join(dir, 'out', 'results.jsonl')
    const watcher = setInterval(() => {
      readFile(file, 'utf8').then(
        (t) => {
          if (t.split('\n').length > 8) controller.abort()
        },
        () => undefined,
      )
    }, 5)
    const first = await evalCli(dir, ['--out', 'out', '--no-cache'], controller.signal)
    clearInterval(watcher)
    expect(first.result.exitCode).toBe(3)
    expect(first.lines.some((l) => l.includes('eval cancelled'))).toBe(true)
    const partial = await readFile(file, 'utf8')
    expect(partial.endsWith('\n')).toBe(true)
    const partialRows = partial.trimEnd().split('\n')
    expect(partialRows.length).toBeGreaterThan(7)
    expect(partialRows.length).toBeLessThan(36)
    const second = await evalCli(dir, ['--out', 'out', '--no-cache', '--resume'])
    expect(second.result.exitCode).toBe(0)
    await evalCli(dir, ['--out', 'clean', '--no-cache'])
    const resumed = await readOut(path.join(dir, 'out'))
    const clean = await readOut(path.join(dir, 'clean'))
    expect(comparable(resumed.rows)).toEqual(comparable(clean.rows))
  })
})

describe('shard and merge', () => {
  it('two shards merged equal a single run', async () => {
    const dir = await writeConfig({ providers: simProviders(sim.url), suites: exampleSuites() })
    await evalCli(dir, ['--out', 'single', '--no-cache'])
    const s1 = await evalCli(dir, ['--out', 'shard1', '--no-cache', '--shard', '1/2'])
    const s2 = await evalCli(dir, ['--out', 'shard2', '--no-cache', '--shard', '2/2'])
    expect(Number(s1.result.outputs!.cases) + Number(s2.result.outputs!.cases)).toBe(36)
    expect(
      Math.abs(Number(s1.result.outputs!.cases) - Number(s2.result.outputs!.cases)),
    ).toBeLessThanOrEqual(2)
    const logger = memoryLogger()
    const merged = await runMergeCommand({
      argv: ['shard1', 'shard2', '--out', 'merged'],
      env: {},
      cwd: dir,
      stdout: new PassThrough(),
      logger,
      signal: new AbortController().signal,
      inAction: false,
    })
    expect(merged).toMatchObject({ exitCode: 0, outputs: { cases: '36', errors: '0' } })
    const single = await readOut(path.join(dir, 'single'))
    const m = await readOut(path.join(dir, 'merged'))
    expect(comparable(m.rows)).toEqual(comparable(single.rows))
    expect(comparableSummary(m.summary)).toEqual(comparableSummary(single.summary))
    expect(m.summary.totals).toMatchObject({ cases: 36, planned: 36, not_run: 0 })
    expect(m.summary.provenance.config_hash).toBe(single.summary.provenance.config_hash)
  })
})
