import { describe, expect, it } from 'vitest'
import {
  describe as describeSample,
  meetsSlo,
  minSamples,
  summarize,
  throughputWindows,
} from '../../../src/bench/aggregate.js'
import { arrivalOffsets } from '../../../src/bench/arrivals.js'
import type { MeasuredRequest } from '../../../src/bench/request-metrics.js'

function req(i: number, over: Partial<MeasuredRequest> = {}): MeasuredRequest {
  return {
    scenario: 's',
    load: 'concurrency=2',
    index: i,
    warmup: false,
    ok: true,
    error: null,
    ttfb_ms: 5,
    ttft_ms: 50,
    ttfo_ms: 50,
    tpot_ms: 10,
    e2e_ms: 140,
    done_ms: 141,
    input_tokens: 8,
    output_tokens: 10,
    token_source: 'usage_continuous',
    itl_ms: [],
    icl_ms: [],
    t_send: i * 100,
    t_end: i * 100 + 140,
    token_times: Array.from({ length: 10 }, (_, j) => i * 100 + 50 + j * 10),
    token_counts: Array.from({ length: 10 }, () => 1),
    itl_estimated: false,
    truth: null,
    ...over,
  }
}

describe('describe', () => {
  it('uses linear interpolation and refuses tails the sample cannot support', () => {
    const d = describeSample(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(d).toMatchObject({
      n: 100,
      mean: 50.5,
      p50: 50.5,
      p90: 90.1,
      p95: null,
      p99: null,
      method: 'linear',
      refused: ['p95', 'p99'],
    })
    expect([0.5, 0.9, 0.95, 0.99].map(minSamples)).toEqual([20, 100, 200, 1000])
  })

  it('gives bootstrap intervals around each statistic', () => {
    const d = describeSample(
      Array.from({ length: 400 }, (_, i) => (i * 37) % 100),
      { ci: true },
    )
    const [lo, hi] = d.ci95!.p50!
    expect(lo).toBeLessThanOrEqual(d.p50!)
    expect(hi).toBeGreaterThanOrEqual(d.p50!)
    expect(d.ci95!.p99).toBeNull()
  })
})

describe('throughput and goodput', () => {
  it('computes the steady window from the C-th send to the last send', () => {
    const rs = Array.from({ length: 10 }, (_, i) => req(i))
    const { steady, makespan } = throughputWindows(rs, 2)
    expect(steady).toEqual({ kind: 'steady', start: 100, end: 900 })
    expect(makespan).toEqual({ kind: 'makespan', start: 0, end: 1040 })
  })

  it('judges SLOs, counting failures as misses and ignoring a missing TPOT', () => {
    expect(meetsSlo(req(0), { ttft_ms: 60, tpot_ms: 12 })).toBe(true)
    expect(meetsSlo(req(0, { ttft_ms: 70 }), { ttft_ms: 60 })).toBe(false)
    expect(meetsSlo(req(0, { tpot_ms: null }), { tpot_ms: 1 })).toBe(true)
    expect(meetsSlo(req(0, { ok: false }), undefined)).toBe(false)
    const s = summarize([req(0), req(1, { ttft_ms: 500 }), req(2, { ok: false })], {
      concurrency: 1,
      slo: { ttft_ms: 100 },
    })
    expect(s.slo_attainment).toBeCloseTo(1 / 3, 3)
    expect(s.errors).toBe(1)
    expect(s.tokens_per_chunk).toBe(1)
  })
})

describe('arrivalOffsets', () => {
  it('is seeded, starts at 0 and has mean gap 1/rate; lower burstiness is burstier', () => {
    const a = arrivalOffsets(4000, 50, 1, 3)
    expect(a).toEqual(arrivalOffsets(4000, 50, 1, 3))
    expect(a[0]).toBe(0)
    const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]!)
    const cv = (g: number[]) => {
      const m = g.reduce((s, v) => s + v, 0) / g.length
      return Math.sqrt(g.reduce((s, v) => s + (v - m) ** 2, 0) / g.length) / m
    }
    const mean = gaps(a).reduce((s, v) => s + v, 0) / (a.length - 1)
    expect(mean).toBeGreaterThan(18)
    expect(mean).toBeLessThan(22)
    expect(cv(gaps(arrivalOffsets(4000, 50, 0.25, 3)))).toBeGreaterThan(cv(gaps(a)) * 1.5)
    expect(cv(gaps(arrivalOffsets(4000, 50, 20, 3)))).toBeLessThan(0.4)
  })
})
