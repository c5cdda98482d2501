/**
 * Effective sample size of a serially correlated series (e.g. latencies in send order) from its
 * lag-1 autocorrelation ρ: n_eff = n (1 - ρ) / (1 + ρ), clamped to [1, n] (an AR(1) approximation).
 * Use n_eff instead of n in intervals over successive requests.
 */
export function effectiveSampleSize(series: ArrayLike<number>): number {
  const n = series.length
  if (n < 3) return n
  let mean = 0
  for (let i = 0; i < n; i++) mean += series[i]!
  mean /= n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    const e = series[i]! - mean
    den += e * e
    if (i > 0) num += e * (series[i - 1]! - mean)
  }
  if (den === 0) return n
  const rho = num / den
  if (rho <= 0) return n
  return Math.max(1, Math.min(n, (n * (1 - rho)) / (1 + rho)))
}
