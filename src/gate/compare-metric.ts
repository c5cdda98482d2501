import type { ResultRow } from '../contracts/results.js'
import { pairedBootstrapMeanDelta } from '../stats/bootstrap.js'
import { mcnemarExactOneSided } from '../stats/mcnemar.js'
import { mdePairedMean, mdePairedProportions } from '../stats/mde.js'
import { pairedPermutationTest } from '../stats/permutation.js'
import type { PairedCase } from './pairing.js'

/** The paired comparison of one metric of one suite. */
export interface MetricComparison {
  suite: string
  metric: string
  /** binary: pass/fail (exact McNemar); continuous: scores (sign-flip permutation test). */
  kind: 'binary' | 'continuous'
  test: 'mcnemar-exact' | 'permutation-paired'
  n: number
  /** Paired cases where the metric had no usable value on a side (errors count as fails for binary metrics). */
  missing: number
  baseline: number
  candidate: number
  delta: number
  ci95: [number, number]
  p: number
  mde: number | null
  /** Regressions and improvements among discordant pairs (binary metrics). */
  regressions: number
  improvements: number
  /** Per paired case: id and both values (NaN when excluded). */
  ids: string[]
  baselineValues: Float64Array
  candidateValues: Float64Array
}

/** A metric value as a number: booleans as 1/0; null, NaN and absent as NaN. */
export function metricValue(row: ResultRow, metric: string): number {
  const v = row.metrics[metric]
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'number' && Number.isFinite(v)) return v
  return NaN
}

/** Whether every observed value of the metric is a boolean or 0/1. */
export function isBinaryMetric(pairs: readonly PairedCase[], metric: string): boolean {
  let seen = false
  for (const p of pairs) {
    for (const row of [p.baseline, p.candidate]) {
      const v = row.metrics[metric]
      if (v === null || v === undefined) continue
      if (typeof v === 'number' && !Number.isFinite(v)) continue
      seen = true
      if (!(typeof v === 'boolean' || v === 0 || v === 1)) return false
    }
  }
  return seen
}

/**
 * Compares one metric over the paired cases. The p-value is one-sided, for a worsening in the
 * metric's direction (H0: the candidate is not worse), since only a worsening can fail the gate. For pass/fail metrics a case that errored (or lacks
 * the value) counts as a fail, so errors can never raise a pass rate; for scores such cases are
 * excluded and reported as missing (the coverage check fails the gate when too many are).
 */
export function compareMetric(
  suite: string,
  metric: string,
  pairs: readonly PairedCase[],
  options: { alpha: number; resamples: number; seed: number; direction: 'higher' | 'lower' },
): MetricComparison {
  const binary = isBinaryMetric(pairs, metric)
  const ids: string[] = []
  const bv: number[] = []
  const cv: number[] = []
  let missing = 0
  for (const p of pairs) {
    let b = metricValue(p.baseline, metric)
    let c = metricValue(p.candidate, metric)
    if (binary) {
      if (Number.isNaN(b) || Number.isNaN(c)) missing++
      if (Number.isNaN(b)) b = 0
      if (Number.isNaN(c)) c = 0
    } else if (Number.isNaN(b) || Number.isNaN(c)) {
      missing++
      continue
    }
    ids.push(p.id)
    bv.push(b)
    cv.push(c)
  }
  const n = ids.length
  const baselineValues = Float64Array.from(bv)
  const candidateValues = Float64Array.from(cv)
  const mean = (x: Float64Array) => (x.length ? x.reduce((s, v) => s + v, 0) / x.length : NaN)
  const boot = pairedBootstrapMeanDelta(baselineValues, candidateValues, {
    resamples: options.resamples,
    seed: options.seed,
  })
  let regressions = 0
  let improvements = 0
  let p: number
  let mde: number | null
  if (binary) {
    for (let i = 0; i < n; i++) {
      if (baselineValues[i]! > candidateValues[i]!) regressions++
      else if (baselineValues[i]! < candidateValues[i]!) improvements++
    }
    // One-sided: the gate asks only whether the candidate is worse.
    p =
      options.direction === 'higher'
        ? mcnemarExactOneSided(regressions, improvements).p
        : mcnemarExactOneSided(improvements, regressions).p
    mde =
      n > 0
        ? mdePairedProportions(n, (regressions + improvements) / n, { alpha: options.alpha })
        : null
  } else {
    p =
      n > 0
        ? pairedPermutationTest(baselineValues, candidateValues, {
            resamples: options.resamples,
            seed: options.seed,
            alternative: options.direction === 'higher' ? 'less' : 'greater',
          }).p
        : 1
    let sd = 0
    const md = boot.estimate
    for (let i = 0; i < n; i++) sd += (candidateValues[i]! - baselineValues[i]! - md) ** 2
    sd = n > 1 ? Math.sqrt(sd / (n - 1)) : NaN
    mde = mdePairedMean(sd, n, { alpha: options.alpha })
    for (let i = 0; i < n; i++) {
      if (baselineValues[i]! > candidateValues[i]!) regressions++
      else if (baselineValues[i]! < candidateValues[i]!) improvements++
    }
  }
  return {
    suite,
    metric,
    kind: binary ? 'binary' : 'continuous',
    test: binary ? 'mcnemar-exact' : 'permutation-paired',
    n,
    missing,
    baseline: mean(baselineValues),
    candidate: mean(candidateValues),
    delta: boot.estimate,
    ci95: boot.ci,
    p,
    mde,
    regressions,
    improvements,
    ids,
    baselineValues,
    candidateValues,
  }
}
