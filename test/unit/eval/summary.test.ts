import { describe, expect, it } from 'vitest'
import type { Provenance } from '../../../src/contracts/provenance.js'
import type { ResultRow } from '../../../src/contracts/results.js'
import { summarySchema } from '../../../src/contracts/summary.js'
import { buildSummary, perplexityCorpus, summarizeValues } from '../../../src/eval/summary.js'
import { wilsonInterval } from '../../../src/stats/index.js'

const provenance: Provenance = {
  tool_version: '0',
  config_hash: null,
  dataset_hashes: {},
  models: {},
  servers: {},
  seed: null,
  runner: { os: 'x', arch: 'x', cpus: 1, node: 'v', name: null },
  commit: null,
  started_at: '2026-01-01T00:00:00.000Z',
  finished_at: '2026-01-01T00:00:01.000Z',
}

function row(over: Partial<ResultRow>): ResultRow {
  return {
    suite: 's',
    case: 'c',
    provider: 'p',
    model: 'm',
    input: '',
    output: '',
    metrics: {},
    error: null,
    latency_ms: 1,
    usage: {},
    cached: false,
    ...over,
  }
}

describe('summarizeValues', () => {
  it('gives pass/fail metrics the Wilson interval', () => {
    const s = summarizeValues([1, 1, 1, 0])
    expect(s.n).toBe(4)
    expect(s.mean).toBe(0.75)
    expect(s.ci95).toEqual(wilsonInterval(3, 4, 0.95))
  })

  it('gives continuous metrics a seeded bootstrap interval around the mean', () => {
    const values = [0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.4, 0.6]
    const a = summarizeValues(values)
    expect(a.mean).toBeCloseTo(0.4625, 12)
    expect(a.ci95![0]).toBeLessThan(0.4625)
    expect(a.ci95![1]).toBeGreaterThan(0.4625)
    expect(a.ci95![0]).toBeGreaterThanOrEqual(0.1)
    expect(a.ci95![1]).toBeLessThanOrEqual(0.9)
    expect(summarizeValues(values)).toEqual(a)
  })

  it('has no interval below two values and no mean without values', () => {
    expect(summarizeValues([0.3])).toEqual({ n: 1, mean: 0.3, ci95: null })
    expect(summarizeValues([])).toEqual({ n: 0, mean: null, ci95: null })
  })
})

describe('buildSummary', () => {
  it('groups by suite and provider, counts errors by kind and never drops a case', () => {
    const rows = [
      row({
        case: '1',
        metrics: { exact: true, rougeL: 0.5 },
        usage: { prompt_tokens: 10, completion_tokens: 2 },
        cached: true,
      }),
      row({
        case: '2',
        metrics: { exact: false, rougeL: 0.25 },
        usage: { prompt_tokens: 8, completion_tokens: 3 },
      }),
      row({ case: '3', metrics: { exact: null, rougeL: 1 } }),
      row({ case: '4', error: { kind: 'timeout', message: 't' } }),
      row({ case: '5', error: { kind: 'timeout', message: 't' } }),
      row({ case: '6', error: { kind: 'template', message: 't' } }),
      row({ case: '1', provider: 'q', metrics: { exact: true } }),
    ]
    const s = buildSummary(rows, {
      provenance,
      planned: 9,
      wallMs: new Map([['s\u0000p', 1234.4]]),
    })
    expect(summarySchema.safeParse(s).success).toBe(true)
    const p = s.suites.s!.providers.p!
    expect(p.cases).toBe(6)
    expect(p.errors).toBe(3)
    expect(p.errors_by_kind).toEqual({ timeout: 2, template: 1 })
    expect(p.metrics.exact).toMatchObject({ n: 2, mean: 0.5 })
    expect(p.metrics.rougeL!.n).toBe(3)
    expect(p.metrics.rougeL!.mean).toBeCloseTo(1.75 / 3, 12)
    expect(p.usage).toEqual({ prompt_tokens: 18, completion_tokens: 5 })
    expect(p.cache_hits).toBe(1)
    expect(p.wall_ms).toBe(1234)
    expect(s.totals).toEqual({ cases: 7, errors: 3, cached: 1, scored: 4, planned: 9, not_run: 2 })
  })

  it('computes corpus perplexities weighted by words and bytes', () => {
    const rows = [
      row({ case: '1', metrics: { loglikelihood: -10, words: 4, bytes: 20, tokens: 5 } }),
      row({ case: '2', metrics: { loglikelihood: -6, words: 2, bytes: 12, tokens: 3 } }),
      row({ case: '3', error: { kind: 'unsupported', message: 'x' } }),
    ]
    const c = perplexityCorpus(rows)!
    expect(c.word_perplexity).toBeCloseTo(Math.exp(16 / 6), 12)
    expect(c.byte_perplexity).toBeCloseTo(Math.exp(16 / 32), 12)
    expect(c.bits_per_byte).toBeCloseTo(16 / 32 / Math.LN2, 12)
    expect(c.token_perplexity).toBeCloseTo(Math.exp(2), 12)
    expect(buildSummary(rows, { provenance }).suites.s!.providers.p!.corpus).toEqual(c)
  })
})
