import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import {
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

describe('llmops eval against the simulator', () => {
  it('runs a QA suite and a multiple-choice suite on two profiles and writes results and summary', async () => {
    const dir = await writeConfig({ providers: simProviders(sim.url), suites: exampleSuites() })
    const { result, lines } = await evalCli(dir, ['--out', 'out', '--no-cache'])
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({
      'results-dir': path.join(dir, 'out'),
      cases: '36',
      errors: '0',
    })
    const { rows, summary } = await readOut(path.join(dir, 'out'))
    expect(rows).toHaveLength(36)
    const qa = summary.suites.qa!.providers
    expect(qa.baseline!.metrics.exact).toMatchObject({ n: 10, mean: 1 })
    // The candidate profile degrades a seeded share of answers.
    expect(qa.candidate!.metrics.exact!.mean).toBeLessThan(1)
    expect(qa.baseline!.corpus!.corpus_chrf).toBe(100)
    expect(qa.candidate!.corpus!.corpus_chrf).toBeLessThan(100)
    const mc = summary.suites.mc!.providers
    expect(mc.baseline!.metrics.acc).toMatchObject({ n: 8, mean: 1 })
    expect(mc.candidate!.metrics.acc!.mean).toBeLessThan(1)
    const row = rows.find(
      (r) => r.suite === 'mc' && r.case === 'mc-02' && r.provider === 'baseline',
    )!
    expect(row.output).toBe('Mars')
    expect(path.basename(row.source!.file)).toBe('mc.jsonl')
    expect(row.source!.line).toBe(2)
    expect(summary.totals).toMatchObject({ cases: 36, errors: 0, planned: 36, not_run: 0 })
    expect(summary.provenance.servers.baseline).toMatchObject({
      name: 'llmops-sim',
      prompt_logprobs: true,
    })
    expect(
      Object.keys(summary.provenance.dataset_hashes)
        .map((f) => path.basename(f))
        .sort(),
    ).toEqual(['mc.jsonl', 'qa.jsonl'])
    expect(
      Object.values(summary.provenance.dataset_hashes).every((h) => /^[0-9a-f]{64}$/.test(h)),
    ).toBe(true)
    expect(summary.provenance.metric_definitions).toEqual({
      'qa/exact': 'exact',
      'qa/rougeL': 'rougeL',
      'qa/corpus_chrf': 'corpus_chrf',
    })
    expect(lines.some((l) => /^eval: 36\/36 cases \(100%\), 0 errors/.test(l))).toBe(true)
  })

  it('filters by suite, provider and tag', async () => {
    const dir = await writeConfig({ providers: simProviders(sim.url), suites: exampleSuites() })
    const { result } = await evalCli(dir, [
      '--out',
      'out',
      '--no-cache',
      '--suite',
      'qa',
      '--provider',
      'candidate',
      '--tag',
      'science',
    ])
    expect(result.outputs?.cases).toBe('4')
    const { rows } = await readOut(path.join(dir, 'out'))
    expect(new Set(rows.map((r) => `${r.suite}/${r.provider}`))).toEqual(new Set(['qa/candidate']))
  })

  it('serves repeated deterministic requests from the cache and counts the hits', async () => {
    const dir = await writeConfig({
      providers: simProviders(sim.url),
      suites: exampleSuites().slice(0, 1),
    })
    await evalCli(dir, ['--out', 'a', '--cache-dir', 'cache'])
    const before = sim.stats.byPath['POST /v1/chat/completions'] ?? 0
    expect(before).toBe(20)
    const { result } = await evalCli(dir, ['--out', 'b', '--cache-dir', 'cache'])
    expect(result.exitCode).toBe(0)
    expect(sim.stats.byPath['POST /v1/chat/completions'] ?? 0).toBe(before)
    const a = await readOut(path.join(dir, 'a'))
    const b = await readOut(path.join(dir, 'b'))
    expect(b.summary.totals.cached).toBe(20)
    expect(b.summary.suites.qa!.providers.baseline!.cache_hits).toBe(10)
    expect(b.rows.map((r) => r.output).sort()).toEqual(a.rows.map((r) => r.output).sort())
  })
})
