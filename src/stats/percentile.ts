/**
 * Percentiles with numpy's default method ('linear', Hyndman and Fan type 7): for a sorted sample of n
 * values the q-quantile sits at position h = (n - 1) q, interpolated between its two neighbours.
 */

/** The q-quantile (0 <= q <= 1) of an ascending sample; NaN when it is empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0 || !(q >= 0 && q <= 1)) return NaN
  const h = (n - 1) * q
  const lo = Math.floor(h)
  const a = sorted[lo]!
  if (lo + 1 >= n) return a
  const b = sorted[lo + 1]!
  // numpy's _lerp form, exact at both ends.
  const t = h - lo
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
}

/** The p-th percentile (0-100) of an unsorted sample, as `numpy.percentile(values, p)`. NaN values are dropped. */
export function percentile(values: ArrayLike<number>, p: number): number {
  return quantileSorted(sortedFinite(values), p / 100)
}

/** Several percentiles (0-100) at once, sorting only once. */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const sorted = sortedFinite(values)
  return ps.map((p) => quantileSorted(sorted, p / 100))
}

/** A sorted Float64Array copy of the values without NaN. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length)
  let k = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isNaN(v)) out[k++] = v
  }
  return out.subarray(0, k).sort()
}
