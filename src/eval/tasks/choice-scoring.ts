import type { MetricValue } from '../../metrics/types.js'
import type { Loglikelihood } from './loglikelihood.js'

/**
 * The seam between the multiple-choice task and the metric functions: per-choice loglikelihoods in,
 * lm-evaluation-harness's acc, acc_norm and exact_match out.
 */
export function scoreChoices(
  results: readonly Loglikelihood[],
  choices: readonly string[],
  gold: number,
): Record<string, MetricValue> {
  const argmax = (xs: readonly number[]) => xs.reduce((best, x, i) => (x > xs[best]! ? i : best), 0)
  const lls = results.map((r) => r.ll)
  const norm = results.map((r, i) => r.ll / Array.from(choices[i]!).length)
  return {
    acc: argmax(lls) === gold ? 1 : 0,
    acc_norm: argmax(norm) === gold ? 1 : 0,
    exact_match: results[gold]?.isGreedy ? 1 : 0,
  }
}
