import { normalQuantile } from './normal.js'

/**
 * Wilson score interval for a proportion (Wilson 1927), as statsmodels `proportion_confint(method='wilson')`:
 * well-behaved at 0 and n successes, where the normal (Wald) interval collapses to a point.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): [number, number] {
  if (n <= 0) return [0, 1]
  const z = normalQuantile(1 - (1 - confidence) / 2)
  const p = successes / n
  const z2 = z * z
  const denom = 1 + z2 / n
  const center = (p + z2 / (2 * n)) / denom
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return [Math.max(0, center - half), Math.min(1, center + half)]
}
