import { describe, expect, it } from 'vitest'
import { clusterBootstrap, weightedQuantiles } from '../../../src/stats/cluster-bootstrap.js'
import { quantileSorted } from '../../../src/stats/percentile.js'
import { Xoshiro128 } from '../../../src/stats/prng.js'

describe('weightedQuantiles', () => {
  it('equals the quantiles of the concatenated, sorted resample', () => {
    const rng = new Xoshiro128(7)
    for (let trial = 0; trial < 200; trial++) {
      const groups = Array.from({ length: 1 + rng.nextInt(6) }, () =>
        Array.from({ length: rng.nextInt(5) }, () => rng.nextInt(20) / 4),
      )
      const weights = Int32Array.from(groups, () => rng.nextInt(3))
      const pool = groups.flatMap((g, i) => Array.from({ length: weights[i]! }, () => g).flat())
      if (pool.length === 0) continue
      const all = groups.flatMap((g, i) => g.map((v) => ({ v, i }))).sort((a, b) => a.v - b.v)
      const qs = [0, 0.1, 0.5, 0.5, 0.9, 0.95, 0.99, 1]
      const out = new Float64Array(qs.length)
      weightedQuantiles(
        Float64Array.from(all, (x) => x.v),
        Int32Array.from(all, (x) => x.i),
        weights,
        pool.length,
        qs,
        out,
      )
      const sorted = Float64Array.from(pool).sort()
      qs.forEach((q, j) => expect(out[j]).toBeCloseTo(quantileSorted(sorted, q), 12))
    }
  })
})

describe('clusterBootstrap', () => {
  // 40 requests; each request's gaps share a request-level offset (its batch), plus small noise.
  const rng = new Xoshiro128(3)
  const correlated = Array.from({ length: 40 }, () => {
    const level = 10 + rng.nextInt(1000) / 50
    return Array.from({ length: 50 }, () => level + rng.nextInt(100) / 100)
  })

  it('gives the point estimates of the pooled sample', () => {
    const r = clusterBootstrap(correlated, [0.5, 0.99], { resamples: 200 })!
    const pooled = Float64Array.from(correlated.flat()).sort()
    expect(r.mean.estimate).toBeCloseTo(pooled.reduce((a, b) => a + b, 0) / pooled.length, 9)
    expect(r.quantiles[0]!.estimate).toBe(quantileSorted(pooled, 0.5))
    expect(r.clusters).toBe(40)
    expect(r.values).toBe(2000)
  })

  it('counts correlated values as far fewer independent ones, and widens the interval to match', () => {
    const r = clusterBootstrap(correlated, [0.5], { resamples: 2000 })!
    // 2,000 gaps whose variance is almost all between requests carry about one value per request.
    expect(r.effective_n).toBeLessThan(100)
    expect(r.effective_n).toBeGreaterThan(10)
    // The naive interval (tokens as independent) is several times narrower than the cluster one.
    const pooled = correlated.flat()
    const mean = pooled.reduce((a, b) => a + b, 0) / pooled.length
    const sd = Math.sqrt(pooled.reduce((a, b) => a + (b - mean) ** 2, 0) / (pooled.length - 1))
    const naiveHalf = (1.96 * sd) / Math.sqrt(pooled.length)
    const half = (r.mean.ci[1] - r.mean.ci[0]) / 2
    expect(half).toBeGreaterThan(3 * naiveHalf)
    expect(r.mean.ci[0]).toBeLessThan(r.mean.estimate)
    expect(r.mean.ci[1]).toBeGreaterThan(r.mean.estimate)
  })

  it('keeps independent values near their count', () => {
    const independent = Array.from({ length: 400 }, () => [rng.nextInt(1000) / 10])
    const r = clusterBootstrap(independent, [0.5], { resamples: 2000 })!
    expect(r.effective_n).toBeGreaterThan(300)
    expect(r.effective_n).toBeLessThanOrEqual(400)
  })

  it('is seeded, needs two clusters and ascending quantiles', () => {
    const a = clusterBootstrap(correlated, [0.9], { resamples: 300, seed: 5 })
    const b = clusterBootstrap(correlated, [0.9], { resamples: 300, seed: 5 })
    expect(a).toEqual(b)
    expect(clusterBootstrap([[1, 2, 3]], [0.5])).toBeNull()
    expect(() => clusterBootstrap(correlated, [0.9, 0.5])).toThrow('ascending')
  })
})
