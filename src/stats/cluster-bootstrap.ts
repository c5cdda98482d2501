import { quantileSorted } from './percentile.js'
import { Xoshiro128 } from './prng.js'

/**
 * Cluster bootstrap for statistics pooled over groups of correlated values, such as the inter-token
 * latencies of a benchmark: the gaps inside one request share its batch, its prompt and its moment, so
 * resampling single tokens as if independent gives intervals far too narrow. Whole requests (clusters)
 * are resampled instead, and the pooled statistic is taken over the resample.
 *
 * One resample is a vector of cluster weights (how often each request was drawn); the mean and the
 * linear-interpolation quantiles of the weighted pool are read off one global sort of all values in
 * O(total values), which is the same number the concatenated, sorted resample would give.
 */

/** Interval of one statistic. */
export interface ClusterInterval {
  estimate: number
  ci: [number, number]
  se: number
}

/** Mean and quantiles with cluster-bootstrap intervals, and what clustering costs in sample size. */
export interface ClusterBootstrap {
  mean: ClusterInterval
  quantiles: ClusterInterval[]
  clusters: number
  values: number
  /**
   * Effective sample size of the mean: the number of independent values that would give the same
   * standard error (values / design effect), between 1 and `values`.
   */
  effective_n: number
}

const sd = (x: Float64Array) => {
  const n = x.length
  if (n < 2) return 0
  let m = 0
  for (const v of x) m += v
  m /= n
  let ss = 0
  for (const v of x) ss += (v - m) ** 2
  return Math.sqrt(ss / (n - 1))
}

/**
 * The q-quantiles (numpy 'linear', `qs` ascending) of the pool in which value i appears
 * `weight[owner[i]]` times, from `sorted` ascending; `total` is the pool's size. Written to `out`.
 */
export function weightedQuantiles(
  sorted: Float64Array,
  owner: Int32Array,
  weight: Int32Array,
  total: number,
  qs: readonly number[],
  out: Float64Array,
): void {
  // Positions h = (M - 1) q in the repeated sequence: a is the value at rank floor(h), b at floor(h)+1.
  const nq = qs.length
  const lo = new Float64Array(nq)
  const t = new Float64Array(nq)
  const a = new Float64Array(nq)
  for (let j = 0; j < nq; j++) {
    const h = (total - 1) * qs[j]!
    lo[j] = Math.floor(h)
    t[j] = h - lo[j]!
  }
  let withA = 0 // targets [0, withA) have their a
  let done = 0 // targets [0, done) are finished
  let seen = 0
  for (let i = 0; i < sorted.length && done < nq; i++) {
    const w = weight[owner[i]!]!
    if (w === 0) continue
    const v = sorted[i]!
    const end = seen + w // this value occupies ranks [seen, end)
    while (withA < nq && lo[withA]! < end) a[withA++] = v
    while (done < withA) {
      let b: number
      if (lo[done]! + 1 < end) b = v
      else if (lo[done]! + 1 >= total) b = a[done]!
      else break
      const x = a[done]!
      out[done] = t[done]! >= 0.5 ? b - (b - x) * (1 - t[done]!) : x + (b - x) * t[done]!
      done++
    }
    seen = end
  }
  for (; done < nq; done++) out[done] = a[done]!
}

interface Prepared {
  k: number
  n: number
  sorted: Float64Array
  owner: Int32Array
  size: Int32Array
  sum: Float64Array
}

function prepare(groups: readonly (readonly number[])[]): Prepared {
  const all: { v: number; g: number }[] = []
  groups.forEach((g, gi) => {
    for (const v of g) if (Number.isFinite(v)) all.push({ v, g: gi })
  })
  all.sort((a, b) => a.v - b.v)
  const k = groups.length
  const size = new Int32Array(k)
  const sum = new Float64Array(k)
  for (const { v, g } of all) {
    size[g]!++
    sum[g]! += v
  }
  return {
    k,
    n: all.length,
    sorted: Float64Array.from(all, (x) => x.v),
    owner: Int32Array.from(all, (x) => x.g),
    size,
    sum,
  }
}

/** `resamples` cluster resamples: the pooled mean (row 0) and each quantile (rows 1..) of each. */
function resample(p: Prepared, qs: readonly number[], resamples: number, rng: Xoshiro128) {
  const weight = new Int32Array(p.k)
  const rows = [0, ...qs].map(() => new Float64Array(resamples))
  const qout = new Float64Array(qs.length)
  for (let r = 0; r < resamples; r++) {
    let m = 0
    let s = 0
    // Redraw until the resample holds a value (clusters may be empty).
    while (m === 0) {
      weight.fill(0)
      s = 0
      for (let i = 0; i < p.k; i++) {
        const c = rng.nextInt(p.k)
        weight[c]!++
        m += p.size[c]!
        s += p.sum[c]!
      }
    }
    rows[0]![r] = s / m
    weightedQuantiles(p.sorted, p.owner, weight, m, qs, qout)
    for (let j = 0; j < qs.length; j++) rows[j + 1]![r] = qout[j]!
  }
  return rows
}

function interval(stats: Float64Array, estimate: number, confidence: number): ClusterInterval {
  const alpha = (1 - confidence) / 2
  const s = Float64Array.from(stats).sort()
  return {
    estimate,
    ci: [quantileSorted(s, alpha), quantileSorted(s, 1 - alpha)],
    se: sd(stats),
  }
}

const ascending = (qs: readonly number[]) => {
  if (qs.some((q, i) => i > 0 && q < qs[i - 1]!)) throw new Error('quantiles must be ascending')
}

const pooledMean = (p: Prepared) => p.sum.reduce((a, b) => a + b, 0) / p.n

/**
 * Cluster (request-level) bootstrap of the pooled mean and quantiles. Empty clusters are allowed
 * (they carry no values). Seeded: the same inputs give the same intervals everywhere.
 */
export function clusterBootstrap(
  groups: readonly (readonly number[])[],
  qs: readonly number[],
  options: { resamples?: number; seed?: number; confidence?: number } = {},
): ClusterBootstrap | null {
  ascending(qs)
  const confidence = options.confidence ?? 0.95
  const p = prepare(groups)
  if (p.k < 2 || p.n < 2) return null
  const rows = resample(p, qs, options.resamples ?? 1000, new Xoshiro128(options.seed ?? 1))
  const mean = interval(rows[0]!, pooledMean(p), confidence)
  const iidVar = sd(p.sorted) ** 2
  const effective = mean.se > 0 ? iidVar / mean.se ** 2 : p.n
  return {
    mean,
    quantiles: qs.map((q, j) => interval(rows[j + 1]!, quantileSorted(p.sorted, q), confidence)),
    clusters: p.k,
    values: p.n,
    effective_n: Math.max(1, Math.min(p.n, Math.round(effective))),
  }
}

/**
 * Bootstrap of `statistic(candidate) - statistic(baseline)` for pooled per-token values, each side's
 * requests resampled whole and independently; `q` null is the mean. Null with fewer than two
 * requests holding values on either side.
 */
export function clusterBootstrapDifference(
  baseline: readonly (readonly number[])[],
  candidate: readonly (readonly number[])[],
  q: number | null,
  options: { resamples?: number; seed?: number; confidence?: number } = {},
): ClusterInterval | null {
  const a = prepare(baseline)
  const b = prepare(candidate)
  if (a.k < 2 || b.k < 2 || a.n < 2 || b.n < 2) return null
  const resamples = options.resamples ?? 2000
  const rng = new Xoshiro128(options.seed ?? 1)
  const qs = q === null ? [] : [q]
  const row = q === null ? 0 : 1
  const ra = resample(a, qs, resamples, rng)[row]!
  const rb = resample(b, qs, resamples, rng)[row]!
  const diff = rb.map((v, i) => v - ra[i]!)
  const est = (p: Prepared) => (q === null ? pooledMean(p) : quantileSorted(p.sorted, q))
  return interval(diff, est(b) - est(a), options.confidence ?? 0.95)
}
