/** The binomial distribution, summed in log space so n in the hundreds of thousands neither under- nor overflows. */

/** P(X <= k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0
  if (k >= n) return 1
  if (p <= 0) return 1
  if (p >= 1) return 0
  const lp = Math.log(p)
  const lq = Math.log1p(-p)
  // log C(n, i) built incrementally; terms summed with a running log-sum-exp.
  let logC = 0
  let logSum = -Infinity
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i)
    const term = logC + i * lp + (n - i) * lq
    logSum = logAddExp(logSum, term)
  }
  return Math.min(1, Math.exp(logSum))
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b
  if (b === -Infinity) return a
  const m = Math.max(a, b)
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m))
}
