import { normalCdf, normalQuantile } from './normal.js'
import { quantileSorted } from './percentile.js'
import { Xoshiro128 } from './prng.js'

/** Options shared by the bootstrap functions. */
export interface BootstrapOptions {
  /** Number of resamples; at least 10,000 for the gate (Monte Carlo error of a 95% bound ~0.2% of its spread). */
  resamples?: number
  /** Seed of the xoshiro128** stream: the same inputs and seed give the same interval on every machine. */
  seed?: number
  /** Two-sided confidence level, default 0.95. */
  confidence?: number
}

/** A point estimate with its bootstrap confidence interval. */
export interface BootstrapResult {
  estimate: number
  ci: [number, number]
  /** Standard deviation of the bootstrap distribution (the bootstrap standard error). */
  se: number
  method: 'bca' | 'percentile'
  resamples: number
}

const DEFAULTS = { resamples: 10_000, seed: 1, confidence: 0.95 }

/**
 * BCa (bias-corrected and accelerated, Efron 1987) confidence interval of the mean of paired
 * differences `candidate[i] - baseline[i]`, resampling whole cases so the pairing is kept.
 *
 * BCa rather than the plain percentile interval: per-case differences of pass/fail metrics are
 * three-valued and often skewed (a few flips), and BCa corrects both the median bias and the skew
 * of the bootstrap distribution (second-order accurate), where the percentile interval undercovers
 * at the small n typical of eval suites. For the mean, the jackknife that BCa needs is O(n) in closed
 * form, so it costs nothing over the percentile method.
 */
export function pairedBootstrapMeanDelta(
  baseline: ArrayLike<number>,
  candidate: ArrayLike<number>,
  options: BootstrapOptions = {},
): BootstrapResult {
  const n = baseline.length
  if (candidate.length !== n)
    throw new RangeError(`paired samples differ in length (${n} vs ${candidate.length})`)
  const d = new Float64Array(n)
  for (let i = 0; i < n; i++) d[i] = candidate[i]! - baseline[i]!
  return bootstrapMeanBca(d, options)
}

/** BCa confidence interval of the mean of one sample (e.g. the per-case differences). */
export function bootstrapMeanBca(
  values: ArrayLike<number>,
  options: BootstrapOptions = {},
): BootstrapResult {
  const { resamples, seed, confidence } = { ...DEFAULTS, ...options }
  const n = values.length
  if (n === 0) return { estimate: NaN, ci: [NaN, NaN], se: NaN, method: 'bca', resamples: 0 }
  const x = Float64Array.from(values)
  let sum = 0
  for (let i = 0; i < n; i++) sum += x[i]!
  const mean = sum / n

  const rng = new Xoshiro128(seed)
  const stats = new Float64Array(resamples)
  if (!resampleFewValues(x, rng, stats)) {
    for (let r = 0; r < resamples; r++) {
      let s = 0
      for (let i = 0; i < n; i++) s += x[rng.nextInt(n)]!
      stats[r] = s / n
    }
  }
  const se = standardDeviation(stats)
  stats.sort()

  // Acceleration from the closed-form jackknife of the mean: theta_bar - theta_(i) = (x_i - mean) / (n - 1).
  let m2 = 0
  let m3 = 0
  for (let i = 0; i < n; i++) {
    const e = x[i]! - mean
    m2 += e * e
    m3 += e * e * e
  }
  const a = m2 > 0 ? m3 / (6 * Math.pow(m2, 1.5)) : 0
  return {
    estimate: mean,
    ci: bcaInterval(stats, mean, a, confidence),
    se,
    method: 'bca',
    resamples,
  }
}

/**
 * Fast path for samples with a few distinct values, such as per-case differences of pass/fail
 * metrics (-1, 0, +1, mostly 0): a resample's mean depends only on how often each value is drawn,
 * which is multinomial, so each resample draws the counts of the rare values by binomial inversion
 * (expected cost their count) and gives the rest to the most frequent value. Same distribution as
 * drawing n indices, at a fraction of the cost. Returns false when the shape does not suit.
 */
function resampleFewValues(x: Float64Array, rng: Xoshiro128, out: Float64Array): boolean {
  const n = x.length
  const counts = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    counts.set(x[i]!, (counts.get(x[i]!) ?? 0) + 1)
    if (counts.size > 16) return false
  }
  const byFrequency = [...counts.entries()].sort((a, b) => a[1] - b[1])
  const mode = byFrequency.pop()!
  const rare = byFrequency
  const rareTotal = rare.reduce((t, [, c]) => t + c, 0)
  if (rareTotal > 200) return false
  const values = Float64Array.from(rare.map(([v]) => v))
  const probs = Float64Array.from(rare.map(([, c]) => c / n))
  for (let r = 0; r < out.length; r++) {
    let left = n
    let mass = 1
    let sum = 0
    for (let k = 0; k < values.length && left > 0; k++) {
      const p = Math.min(1, probs[k]! / mass)
      const c = binomialInversion(left, p, rng)
      sum += c * values[k]!
      left -= c
      mass -= probs[k]!
    }
    out[r] = (sum + left * mode[0]) / n
  }
  return true
}

/** A Binomial(n, p) draw by inversion of the CDF; used only where n·p is small (at most a few hundred). */
function binomialInversion(n: number, p: number, rng: Xoshiro128): number {
  if (p <= 0) return 0
  if (p >= 1) return n
  const u = rng.nextFloat()
  const ratio = p / (1 - p)
  let prob = Math.pow(1 - p, n)
  let cdf = prob
  let k = 0
  while (u > cdf && k < n) {
    prob *= ((n - k) / (k + 1)) * ratio
    k++
    cdf += prob
  }
  return k
}

/**
 * BCa bounds from a sorted bootstrap distribution; falls back to the percentile bounds when the bias
 * correction is infinite (every resample on one side of the estimate).
 */
export function bcaInterval(
  sorted: Float64Array,
  estimate: number,
  acceleration: number,
  confidence: number,
): [number, number] {
  const R = sorted.length
  let below = 0
  let equal = 0
  for (let i = 0; i < R; i++) {
    const v = sorted[i]!
    if (v < estimate) below++
    else if (v === estimate) equal++
  }
  const alpha = (1 - confidence) / 2
  // Ties count half, as scipy.stats.bootstrap does; an all-equal distribution gives z0 = 0.
  const z0 = normalQuantile((below + equal / 2) / R)
  if (!Number.isFinite(z0))
    return [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)]
  const adjust = (z: number) => {
    const num = z0 + z
    return normalCdf(z0 + num / (1 - acceleration * num))
  }
  const lo = adjust(normalQuantile(alpha))
  const hi = adjust(normalQuantile(1 - alpha))
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    return [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)]
  return [quantileSorted(sorted, lo), quantileSorted(sorted, hi)]
}

/**
 * Percentile-method bootstrap CI of any statistic of one sample (e.g. p95 latency). The statistic
 * receives a scratch buffer that is reused across resamples and may be reordered (sorted) in place.
 * Percentile rather than BCa here because BCa's jackknife would cost n extra evaluations of an
 * O(n log n) statistic; for quantiles of a few thousand requests the percentile interval is adequate.
 */
export function bootstrapStatistic(
  values: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  options: BootstrapOptions = {},
): BootstrapResult {
  const { resamples, seed, confidence } = { ...DEFAULTS, ...options }
  const n = values.length
  const x = Float64Array.from(values)
  const estimate = statistic(Float64Array.from(x))
  if (n === 0) return { estimate, ci: [NaN, NaN], se: NaN, method: 'percentile', resamples: 0 }
  const rng = new Xoshiro128(seed)
  const scratch = new Float64Array(n)
  const stats = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) scratch[i] = x[rng.nextInt(n)]!
    stats[r] = statistic(scratch)
  }
  return percentileResult(stats, estimate, confidence, resamples)
}

/**
 * Percentile-method bootstrap CI of `statistic(candidate) - statistic(baseline)` for two independent
 * samples (e.g. p95 TTFT of two servers), each resampled on its own.
 */
export function bootstrapDifference(
  baseline: ArrayLike<number>,
  candidate: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  options: BootstrapOptions = {},
): BootstrapResult {
  const { resamples, seed, confidence } = { ...DEFAULTS, ...options }
  const a = Float64Array.from(baseline)
  const b = Float64Array.from(candidate)
  const estimate = statistic(Float64Array.from(b)) - statistic(Float64Array.from(a))
  if (a.length === 0 || b.length === 0)
    return { estimate, ci: [NaN, NaN], se: NaN, method: 'percentile', resamples: 0 }
  const rng = new Xoshiro128(seed)
  const sa = new Float64Array(a.length)
  const sb = new Float64Array(b.length)
  const stats = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) sa[i] = a[rng.nextInt(a.length)]!
    for (let i = 0; i < b.length; i++) sb[i] = b[rng.nextInt(b.length)]!
    stats[r] = statistic(sb) - statistic(sa)
  }
  return percentileResult(stats, estimate, confidence, resamples)
}

function percentileResult(
  stats: Float64Array,
  estimate: number,
  confidence: number,
  resamples: number,
): BootstrapResult {
  const se = standardDeviation(stats)
  stats.sort()
  const alpha = (1 - confidence) / 2
  return {
    estimate,
    ci: [quantileSorted(stats, alpha), quantileSorted(stats, 1 - alpha)],
    se,
    method: 'percentile',
    resamples,
  }
}

function standardDeviation(x: Float64Array): number {
  const n = x.length
  if (n < 2) return 0
  let mean = 0
  for (let i = 0; i < n; i++) mean += x[i]!
  mean /= n
  let ss = 0
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2
  return Math.sqrt(ss / (n - 1))
}
