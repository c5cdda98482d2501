import { binomialCdf } from './binomial.js'

/** The outcome of an exact McNemar test. */
export interface McNemarResult {
  /** Pairs that passed on the baseline and failed on the candidate (regressions). */
  b: number
  /** Pairs that failed on the baseline and passed on the candidate (improvements). */
  c: number
  /** Two-sided exact p-value. */
  p: number
}

/**
 * Exact McNemar test: under H0 the discordant pairs split Binomial(b + c, 1/2), so the two-sided
 * p-value is min(1, 2 · P(X <= min(b, c))), as `statsmodels ... mcnemar(table, exact=True)`.
 * No discordant pairs gives p = 1.
 */
export function mcnemarExact(b: number, c: number): McNemarResult {
  const n = b + c
  const p = n === 0 ? 1 : Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5))
  return { b, c, p }
}

/** Exact McNemar test on paired pass/fail outcomes (truthy = pass). */
export function mcnemarPaired(
  baseline: ArrayLike<number | boolean>,
  candidate: ArrayLike<number | boolean>,
): McNemarResult {
  if (baseline.length !== candidate.length) throw new RangeError('paired samples differ in length')
  let b = 0
  let c = 0
  for (let i = 0; i < baseline.length; i++) {
    const x = Boolean(baseline[i])
    const y = Boolean(candidate[i])
    if (x && !y) b++
    else if (!x && y) c++
  }
  return mcnemarExact(b, c)
}

/**
 * One-sided exact McNemar test for "more regressions than improvements": P(X >= b) for
 * X ~ Binomial(b + c, 1/2), which equals P(X <= c) by symmetry (statsmodels `binomtest(b, b + c,
 * alternative='greater')`). No discordant pairs gives p = 1.
 */
export function mcnemarExactOneSided(b: number, c: number): McNemarResult {
  const n = b + c
  return { b, c, p: n === 0 ? 1 : Math.min(1, binomialCdf(c, n, 0.5)) }
}
