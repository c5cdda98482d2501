import { describe, expect, it } from 'vitest'
import { holmAdjust } from '../../../src/stats/holm.js'
import { mcnemarExact, mcnemarExactOneSided, mcnemarPaired } from '../../../src/stats/mcnemar.js'
import { meanCi } from '../../../src/stats/mean-ci.js'
import { mdePairedMean, mdePairedProportions } from '../../../src/stats/mde.js'
import { pairedPermutationTest, unpairedPermutationTest } from '../../../src/stats/permutation.js'
import { wilsonInterval } from '../../../src/stats/wilson.js'
import { effectiveSampleSize } from '../../../src/stats/effective-sample-size.js'

// Reference values from statsmodels 0.15.0 / scipy 1.17.1.
describe('exact McNemar', () => {
  it.each([
    [1, 0, 1],
    [10, 0, 0.001953125],
    [25, 15, 0.1538599441628321],
    [7, 2, 0.1796875],
    [0, 0, 1],
    [30, 10, 0.0022214337732293643],
    [300, 250, 0.036578745549102676],
  ])('b=%i c=%i gives statsmodels p', (b, c, p) => {
    expect(mcnemarExact(b, c).p).toBeCloseTo(p, 12)
  })

  it.each([
    [10, 0, 0.0009765625],
    [25, 15, 0.07692997208141605],
    [7, 2, 0.08984375],
    [2, 7, 0.98046875],
  ])('one-sided b=%i c=%i gives scipy binomtest(alternative="greater")', (b, c, p) => {
    expect(mcnemarExactOneSided(b, c).p).toBeCloseTo(p, 12)
  })

  it('counts discordant pairs from paired outcomes', () => {
    const r = mcnemarPaired([1, 1, 1, 0, 0, true], [0, 0, 1, 1, 0, false])
    expect([r.b, r.c]).toEqual([3, 1])
  })
})

describe('Holm-Bonferroni', () => {
  it('matches statsmodels multipletests(method="holm")', () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005]).map((p) => p!.toFixed(12))).toEqual(
      [0.03, 0.06, 0.06, 0.02].map((p) => p.toFixed(12)),
    )
    expect(holmAdjust([0.001, 0.02, 0.02, 0.5, 0.04]).map((p) => p!.toFixed(12))).toEqual(
      [0.005, 0.08, 0.08, 0.5, 0.08].map((p) => p.toFixed(12)),
    )
  })

  it('leaves untested checks out of the family', () => {
    expect(holmAdjust([0.01, null, 0.04])).toEqual([0.02, null, 0.04])
  })
})

describe('Wilson interval', () => {
  it.each([
    [8, 10, 0.49016247153664183, 0.9433178485456247],
    [0, 20, 0, 0.1611251580528194],
    [20, 20, 0.8388748419471804, 1],
    [45, 500, 0.06794254788913939, 0.11830941128933345],
  ])('%i/%i matches statsmodels', (s, n, lo, hi) => {
    const [l, h] = wilsonInterval(s, n)
    expect(l).toBeCloseTo(lo, 12)
    expect(h).toBeCloseTo(hi, 12)
  })
})

describe('mean CI', () => {
  it('matches scipy.stats.t.interval', () => {
    const r = meanCi([2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8])
    expect(r.ci![0]).toBeCloseTo(2.1550127819312004, 10)
    expect(r.ci![1]).toBeCloseTo(4.559272932354514, 10)
    expect(meanCi([1]).ci).toBeNull()
  })
})

describe('permutation tests', () => {
  it('paired: exact enumeration matches scipy.stats.permutation_test', () => {
    const a = [0.2, 0.5, 0.3, 0.9, 0.4, 0.6, 0.1, 0.8]
    const b = [0.1, 0.3, 0.35, 0.6, 0.2, 0.55, 0.05, 0.5]
    const r = pairedPermutationTest(a, b)
    expect(r.exact).toBe(true)
    expect(r.p).toBeCloseTo(0.03125, 12)
  })

  it('paired: Monte Carlo agrees with the paired t-test on a clear shift', () => {
    const a = Array.from({ length: 40 }, (_, i) => i / 39)
    const b = a.map((v, i) => v + Math.sin(i) * 0.1 + 0.03)
    const r = pairedPermutationTest(a, b, { resamples: 20_000, seed: 3 })
    expect(r.exact).toBe(false)
    // scipy.stats.ttest_rel p = 0.00586; the permutation p is close to it.
    expect(r.p).toBeGreaterThan(0.003)
    expect(r.p).toBeLessThan(0.01)
    expect(
      pairedPermutationTest(a, b, { resamples: 20_000, seed: 3, alternative: 'less' }).p,
    ).toBeGreaterThan(0.99)
  })

  it('unpaired: Monte Carlo p is near the exact scipy value', () => {
    const a = [1.2, 3.4, 2.2, 5.1, 0.7, 2.9, 3.3, 4.0, 1.8, 2.5]
    const b = [2.0, 3.9, 2.8, 4.7, 1.9, 3.8, 3.1, 4.9, 2.6, 3.0, 4.4, 3.6]
    const r = unpairedPermutationTest(a, b, { resamples: 50_000, seed: 11 })
    expect(Math.abs(r.p - 0.1876637294593951)).toBeLessThan(0.01)
    expect(r.statistic).toBeCloseTo(40.7 / 12 - 27.1 / 10, 12)
  })

  it('gives p = 1 for identical samples', () => {
    expect(pairedPermutationTest([1, 2, 3], [1, 2, 3]).p).toBe(1)
  })
})

describe('minimum detectable effect', () => {
  it('paired mean is within 2% of statsmodels TTestPower', () => {
    // TTestPower().solve_power(nobs=50, alpha=0.05, power=0.8) = 0.40418 (in units of sd).
    expect(mdePairedMean(1, 50)! / 0.4041829997377859 - 1).toBeLessThan(0.02)
    expect(Math.abs(mdePairedMean(1, 500)! / 0.12553231642698945 - 1)).toBeLessThan(0.01)
    expect(mdePairedMean(1, 1)).toBeNull()
  })

  it('paired proportions solves Connor’s formula', () => {
    const delta = mdePairedProportions(500, 0.1)!
    const psi = 0.1
    const n =
      (1.959963984540054 * Math.sqrt(psi) + 0.8416212335729143 * Math.sqrt(psi - delta * delta)) **
        2 /
      delta ** 2
    expect(n).toBeCloseTo(500, 6)
    // With no observed discordance the alternative needs at least delta discordant pairs.
    expect(mdePairedProportions(500, 0)!).toBeGreaterThan(0)
    expect(mdePairedProportions(50, 0.1)!).toBeGreaterThan(delta)
  })
})

describe('effective sample size', () => {
  it('shrinks for positively autocorrelated series and keeps n otherwise', () => {
    const smooth = Array.from({ length: 200 }, (_, i) => Math.sin(i / 10))
    expect(effectiveSampleSize(smooth)).toBeLessThan(20)
    const alternating = Array.from({ length: 200 }, (_, i) => (i % 2 ? 1 : -1))
    expect(effectiveSampleSize(alternating)).toBe(200)
  })
})
