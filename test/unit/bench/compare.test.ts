import { describe, expect, it } from 'vitest'
import { summarize } from '../../../src/bench/aggregate.js'
import { compareBench } from '../../../src/bench/compare.js'
import { benchMarkdown, latencySection } from '../../../src/bench/report-section.js'
import type { MeasuredRequest } from '../../../src/bench/request-metrics.js'
import { benchSchema, type Bench } from '../../../src/contracts/bench.js'

function bench(ttfts: number[], verdict: 'valid' | 'degraded' = 'valid', scenario = 'chat'): Bench {
  const requests: MeasuredRequest[] = ttfts.map((ttft, i) => ({
    scenario,
    load: 'concurrency=4',
    index: i,
    warmup: false,
    ok: true,
    error: null,
    ttfb_ms: 1,
    ttft_ms: ttft,
    ttfo_ms: ttft,
    tpot_ms: 10,
    e2e_ms: ttft + 100,
    done_ms: ttft + 101,
    input_tokens: 8,
    output_tokens: 11,
    token_source: 'usage_final',
    itl_ms: [10],
    icl_ms: [10],
    t_send: i * 10,
    t_end: i * 10 + ttft + 100,
    token_times: [i * 10 + ttft],
    token_counts: [1],
    itl_estimated: false,
    truth: null,
  }))
  const summary = summarize(requests, { concurrency: 4 })
  const validity = {
    verdict,
    reasons: verdict === 'valid' ? [] : ['degraded: client event-loop delay p99 3 ms'],
  }
  return benchSchema.parse({
    runs: [{ scenario, load: 'concurrency=4', summary, validity }],
    requests,
    summary,
    validity,
  })
}
// Deterministic spread without randomness: a fixed permutation of 0..n-1 scaled.
const spread = (n: number, base: number, width: number) =>
  Array.from({ length: n }, (_, i) => base + ((i * 7919) % n) * (width / n))
const options = { resamples: 2000, seed: 1, alpha: 0.05 }

describe('compareBench', () => {
  it('passes an SLO whose upper confidence bound is within it, fails one whose lower bound is beyond', () => {
    const b = bench(spread(400, 100, 50))
    const [pass] = compareBench(null, b, [{ metric: 'bench/chat/ttft_ms/p95', max: 200 }], options)
    expect(pass).toMatchObject({ name: 'bench/chat/ttft_ms/p95', verdict: 'pass', kind: 'latency' })
    expect(pass!.ci95![1]).toBeLessThanOrEqual(200)
    const [fail] = compareBench(null, b, [{ metric: 'bench/chat/ttft_ms/p50', max: 110 }], options)
    expect(fail!.verdict).toBe('fail')
    const [straddle] = compareBench(
      null,
      b,
      [{ metric: 'bench/chat/ttft_ms/p50', max: 125 }],
      options,
    )
    expect(straddle!.verdict).toBe('inconclusive')
  })

  it('refuses a p99 from too few requests', () => {
    const [c] = compareBench(
      null,
      bench(spread(100, 100, 50)),
      [{ metric: 'bench/chat/ttft_ms/p99', max: 1000 }],
      options,
    )
    expect(c).toMatchObject({ verdict: 'inconclusive', candidate: null })
    expect(c!.reason).toMatch(/n >= 1000/)
  })

  it('only lets a valid run fail', () => {
    const [c] = compareBench(
      null,
      bench(spread(400, 100, 50), 'degraded'),
      [{ metric: 'bench/chat/ttft_ms/p50', max: 110 }],
      options,
    )
    expect(c!.verdict).toBe('inconclusive')
    expect(c!.reason).toMatch(/only a valid run can fail/)
  })

  it('detects a regression against the baseline with a raw one-sided p-value', () => {
    const base = bench(spread(300, 100, 40))
    const worse = bench(spread(300, 130, 40))
    const [c] = compareBench(
      base,
      worse,
      [{ metric: 'bench/chat/ttft_ms/p50', max_increase: 5 }],
      options,
    )
    expect(c!.verdict).toBe('fail')
    expect(c!.delta).toBeCloseTo(30, 0)
    expect(c!.p_value).toBeLessThan(0.01)
    const [same] = compareBench(
      base,
      bench(spread(300, 100, 40)),
      [{ metric: 'bench/*/ttft_ms/p50', max_increase: 5 }],
      options,
    )
    expect(same!.verdict).toBe('pass')
    expect(same!.p_value).toBeGreaterThan(0.5)
  })
})

describe('latency report', () => {
  it('renders a table, the checks, a Mermaid chart and escapes names', () => {
    const c = bench(spread(300, 130, 40), 'valid', 'chat<b>')
    const b = bench(spread(300, 100, 40), 'valid', 'chat<b>')
    const checks = compareBench(b, c, [{ metric: 'bench/*/ttft_ms/p50', max_increase: 5 }], options)
    const section = latencySection(b, c, checks)
    expect(section.id).toBe('latency')
    expect(section.markdown).toContain('```mermaid\nxychart-beta')
    expect(section.markdown).not.toContain('<b>')
    expect(section.markdown).toMatch(/\| candidate \| chat&lt;b&gt; concurrency=4 \| 300 \|/)
    expect(section.compact).toMatch(/fail/)
    expect(benchMarkdown(c)).toContain('### Latency benchmark')
  })
})

describe('compareBench on per-token ITL (whole requests resampled)', () => {
  // Each request's token gaps sit at its own level (its batch), with a little noise.
  function itlBench(levels: number[]): Bench {
    const requests: MeasuredRequest[] = levels.map((level, i) => ({
      scenario: 'chat',
      load: 'concurrency=4',
      index: i,
      warmup: false,
      ok: true,
      error: null,
      ttfb_ms: 1,
      ttft_ms: 50,
      ttfo_ms: 50,
      tpot_ms: level,
      e2e_ms: 50 + 60 * level,
      done_ms: 51 + 60 * level,
      input_tokens: 8,
      output_tokens: 61,
      token_source: 'usage_final',
      itl_ms: Array.from({ length: 60 }, (_, j) => level + ((j * 37) % 10) / 100),
      icl_ms: [],
      t_send: i * 10,
      t_end: i * 10 + 50 + 60 * level,
      token_times: [i * 10 + 50],
      token_counts: [1],
      itl_estimated: false,
      truth: null,
    }))
    const summary = summarize(requests, { concurrency: 4 })
    const validity = { verdict: 'valid' as const, reasons: [] }
    return benchSchema.parse({
      runs: [{ scenario: 'chat', load: 'concurrency=4', summary, validity }],
      requests,
      summary,
      validity,
    })
  }
  const rule = [{ metric: 'bench/chat/itl_ms/mean', max_increase: 1 }]

  it('reports cluster CIs and the effective sample size of the pooled gaps', () => {
    const b = itlBench(spread(8, 10, 8))
    const itl = b.runs[0]!.summary.itl_ms as unknown as {
      n: number
      clusters: number
      effective_n: number
    }
    expect(itl.n).toBe(480)
    expect(itl.clusters).toBe(8)
    // 480 gaps from 8 requests whose levels differ are worth about 8 independent values.
    expect(itl.effective_n).toBeLessThan(20)
  })

  it('fails a clear per-token regression', () => {
    const [c] = compareBench(
      itlBench(spread(40, 10, 2)),
      itlBench(spread(40, 14, 2)),
      rule,
      options,
    )
    expect(c).toMatchObject({ verdict: 'fail', name: 'bench/chat/itl_ms/mean' })
    expect(c!.reason).toContain('whole requests resampled')
    expect(c!.delta).toBeCloseTo(4, 1)
  })

  it('stays inconclusive when a few requests with spread levels cannot tell, however many tokens', () => {
    // 4 requests a side, levels spread over 10 ms; the means differ by 2.5 ms. Treating the 240 gaps
    // of a side as independent would call this a regression; 4 requests cannot.
    const [c] = compareBench(
      itlBench([10, 13, 16, 19]),
      itlBench([12.5, 15.5, 18.5, 21.5]),
      rule,
      options,
    )
    expect(c!.verdict).toBe('inconclusive')
    expect(c!.ci95![0]).toBeLessThan(1)
  })
})
