import { Xoshiro128 } from './prng.js'

/** Which difference the test looks for: any, candidate below baseline, or candidate above. */
export type Alternative = 'two-sided' | 'less' | 'greater'

/** Options for the permutation tests. */
export interface PermutationOptions {
  resamples?: number
  seed?: number
  alternative?: Alternative
}

/** The observed mean difference (candidate - baseline) and its permutation p-value. */
export interface PermutationResult {
  statistic: number
  p: number
  /** True when every rearrangement was enumerated (small paired samples), so p is exact. */
  exact: boolean
}

// Relative tolerance so that floating-point noise in a rearranged sum counts as "as extreme".
const TOL = 1e-9

/**
 * Paired (sign-flip) permutation test of the mean of `candidate[i] - baseline[i]`: under H0 each
 * difference is as likely positive as negative. Enumerates all 2^m sign patterns of the m non-zero
 * differences when that is no more than `resamples`, else draws `resamples` patterns (32 signs per random word) and reports
 * (1 + #as-extreme) / (1 + resamples), which never returns 0 (Phipson and Smyth 2010).
 */
export function pairedPermutationTest(
  baseline: ArrayLike<number>,
  candidate: ArrayLike<number>,
  { resamples = 10_000, seed = 1, alternative = 'two-sided' }: PermutationOptions = {},
): PermutationResult {
  const n = baseline.length
  if (candidate.length !== n) throw new RangeError('paired samples differ in length')
  if (n === 0) return { statistic: NaN, p: 1, exact: true }
  // Zero differences are unchanged by a sign flip, so only the non-zero ones are permuted.
  const all = new Float64Array(n)
  let nz = 0
  let observed = 0
  let scale = 0
  for (let i = 0; i < n; i++) {
    const v = candidate[i]! - baseline[i]!
    if (v !== 0) all[nz++] = v
    observed += v
    scale += Math.abs(v)
  }
  const d = all.subarray(0, nz)
  const m = nz
  const tol = TOL * Math.max(scale, 1e-300)
  const extreme = extremeTest(observed, tol, alternative)
  if (m <= 30 && 2 ** m <= resamples) {
    let count = 0
    const total = 2 ** m
    for (let mask = 0; mask < total; mask++) {
      let s = 0
      for (let i = 0; i < m; i++) s += (mask >>> i) & 1 ? -d[i]! : d[i]!
      if (extreme(s)) count++
    }
    return { statistic: observed / n, p: count / total, exact: true }
  }
  const rng = new Xoshiro128(seed)
  let count = 0
  for (let r = 0; r < resamples; r++) {
    let s = 0
    let bits = 0
    for (let i = 0; i < m; i++) {
      if ((i & 31) === 0) bits = rng.nextUint32()
      s += bits & 1 ? -d[i]! : d[i]!
      bits >>>= 1
    }
    if (extreme(s)) count++
  }
  return { statistic: observed / n, p: (count + 1) / (resamples + 1), exact: false }
}

/**
 * Unpaired permutation test of mean(candidate) - mean(baseline): group labels are shuffled
 * (a partial Fisher-Yates shuffle of one scratch buffer per resample, no allocation in the loop).
 */
export function unpairedPermutationTest(
  baseline: ArrayLike<number>,
  candidate: ArrayLike<number>,
  { resamples = 10_000, seed = 1, alternative = 'two-sided' }: PermutationOptions = {},
): PermutationResult {
  const na = baseline.length
  const nb = candidate.length
  if (na === 0 || nb === 0) return { statistic: NaN, p: 1, exact: true }
  const n = na + nb
  const pool = new Float64Array(n)
  let total = 0
  let sumB = 0
  let scale = 0
  for (let i = 0; i < na; i++) {
    pool[i] = baseline[i]!
    total += pool[i]!
    scale += Math.abs(pool[i]!)
  }
  for (let i = 0; i < nb; i++) {
    pool[na + i] = candidate[i]!
    total += candidate[i]!
    sumB += candidate[i]!
    scale += Math.abs(candidate[i]!)
  }
  const diff = (sb: number) => sb / nb - (total - sb) / na
  const observed = diff(sumB)
  const tol = TOL * Math.max(scale / Math.min(na, nb), 1e-300)
  const extreme = extremeTest(observed, tol, alternative)
  const rng = new Xoshiro128(seed)
  let count = 0
  for (let r = 0; r < resamples; r++) {
    let sb = 0
    // The first nb slots after a partial shuffle are a uniform random subset of the pool.
    for (let i = 0; i < nb; i++) {
      const j = i + rng.nextInt(n - i)
      const t = pool[i]!
      pool[i] = pool[j]!
      pool[j] = t
      sb += pool[i]!
    }
    if (extreme(diff(sb))) count++
  }
  return { statistic: observed, p: (count + 1) / (resamples + 1), exact: false }
}

function extremeTest(
  observed: number,
  tol: number,
  alternative: Alternative,
): (s: number) => boolean {
  if (alternative === 'less') return (s) => s <= observed + tol
  if (alternative === 'greater') return (s) => s >= observed - tol
  const a = Math.abs(observed)
  return (s) => Math.abs(s) >= a - tol
}
