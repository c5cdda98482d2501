import { describe, expect, it } from 'vitest'
import {
  bootstrapDifference,
  bootstrapMeanBca,
  bootstrapStatistic,
  pairedBootstrapMeanDelta,
} from '../../../src/stats/bootstrap.js'
import { quantileSorted } from '../../../src/stats/percentile.js'

const p90 = (s: Float64Array) => quantileSorted(s.sort(), 0.9)

describe('paired bootstrap of the mean delta (BCa)', () => {
  it('matches scipy.stats.bootstrap(method="BCa") within Monte Carlo error', () => {
    // 6 regressions, 2 improvements, 32 ties: scipy (400k resamples) gives [-0.25, 0.025].
    const d = [...Array<number>(6).fill(-1), 1, 1, ...Array<number>(32).fill(0)]
    const r = bootstrapMeanBca(d, { resamples: 20_000, seed: 5 })
    expect(r.estimate).toBeCloseTo(-0.1, 12)
    expect(r.ci[0]).toBeCloseTo(-0.25, 1)
    expect(Math.abs(r.ci[0] + 0.25)).toBeLessThanOrEqual(0.026)
    expect(Math.abs(r.ci[1] - 0.025)).toBeLessThanOrEqual(0.026)
  })

  it('matches scipy BCa on a continuous sample', () => {
    const x = [
      0.12, -0.3, 0.05, 0.4, -0.22, 0.18, 0.07, -0.05, 0.33, 0.01, 0.2, -0.1, 0.15, 0.09, 0.26,
    ]
    const r = bootstrapMeanBca(x, { resamples: 20_000, seed: 9 })
    expect(Math.abs(r.ci[0] - -0.021333333333333326)).toBeLessThan(0.01)
    expect(Math.abs(r.ci[1] - 0.1673333333333333)).toBeLessThan(0.01)
  })

  it('is seeded: same seed, same interval; identical runs give a zero-width interval', () => {
    const base = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 1 : 0))
    const cand = base.map((v, i) => (i % 17 === 0 ? 0 : v))
    const a = pairedBootstrapMeanDelta(base, cand, { seed: 2 })
    const b = pairedBootstrapMeanDelta(base, cand, { seed: 2 })
    expect(a.ci).toEqual(b.ci)
    expect(a.resamples).toBe(10_000)
    expect(a.ci[0]).toBeLessThan(a.estimate)
    expect(pairedBootstrapMeanDelta(base, base).ci).toEqual([0, 0])
  })

  it('rejects unpaired input', () => {
    expect(() => pairedBootstrapMeanDelta([1, 2], [1])).toThrow(RangeError)
  })
})

describe('generic bootstrap', () => {
  it('percentile CI of p90 brackets scipy’s', () => {
    const x = [12, 15, 11, 30, 14, 13, 18, 22, 16, 14, 13, 50, 17, 12, 19]
    const r = bootstrapStatistic(x, p90, { resamples: 20_000, seed: 4 })
    expect(r.estimate).toBeCloseTo(26.8, 10)
    // scipy.stats.bootstrap(percentile, 200k resamples): [17.2, 50.0]
    expect(Math.abs(r.ci[0] - 17.2)).toBeLessThan(0.6)
    expect(r.ci[1]).toBe(50)
  })

  it('difference of two independent samples covers the true shift', () => {
    const a = Array.from({ length: 300 }, (_, i) => 100 + ((i * 37) % 50))
    const b = a.map((v) => v + 20)
    const r = bootstrapDifference(a, b, p90, { seed: 1 })
    expect(r.estimate).toBeCloseTo(20, 10)
    expect(r.ci[0]).toBeLessThan(20)
    expect(r.ci[1]).toBeGreaterThan(20)
  })
})
