import { pyLen } from '../text/python-str.js'

/** One loglikelihood result of a choice, as lm-evaluation-harness gets it: `(ll, is_greedy)`. */
export interface ChoiceResult {
  ll: number
  isGreedy: boolean
}

/** Gold answer: an index, a choice string, or several acceptable indices. */
export type Gold = number | string | readonly number[]

/** lm-eval multiple-choice metrics of one document (0/1 each, MC2 a probability mass). */
export interface MultipleChoiceScores {
  acc: number
  acc_norm: number
  acc_bytes: number
  exact_match: number
  acc_mutual_info?: number
}

/** `np.argmax`: the first index of the maximum. */
export function argmax(values: readonly number[]): number {
  let best = 0
  for (let i = 1; i < values.length; i++)
    if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i
  return values.length === 0 ? -1 : best
}

function goldIndices(gold: Gold, choices: readonly string[]): number[] {
  if (typeof gold === 'number') return [gold]
  if (typeof gold === 'string') return [choices.indexOf(gold)]
  return [...gold]
}

/**
 * `ConfigurableTask.process_results` for `output_type: multiple_choice`: `results` holds the
 * conditional `(ll, is_greedy)` of each choice, followed by the unconditional ones when
 * `unconditional` (acc_mutual_info) is requested. acc_norm divides by the choice's code-point
 * length (`len(choice)`), acc_bytes by its UTF-8 byte length.
 */
export function scoreMultipleChoice(
  choices: readonly string[],
  results: readonly ChoiceResult[],
  gold: Gold,
  options: { mutualInfo?: boolean } = {},
): MultipleChoiceScores {
  const n = choices.length
  const lls = results.slice(0, n).map((r) => r.ll)
  const greedy = results.slice(0, n).map((r) => r.isGreedy)
  const golds = goldIndices(gold, choices)
  const hit = (pred: number): number => (golds.includes(pred) ? 1 : 0)
  const charLens = choices.map((c) => pyLen(c))
  const byteLens = choices.map((c) => Buffer.byteLength(c, 'utf8'))
  const out: MultipleChoiceScores = {
    acc: hit(argmax(lls)),
    acc_norm: hit(argmax(lls.map((ll, i) => ll / (charLens[i] ?? 1)))),
    acc_bytes: hit(argmax(lls.map((ll, i) => ll / (byteLens[i] ?? 1)))),
    exact_match: golds.some((g) => greedy[g] === true) ? 1 : 0,
  }
  if (options.mutualInfo) {
    const uncond = results.slice(n, 2 * n).map((r) => r.ll)
    out.acc_mutual_info = hit(argmax(lls.map((ll, i) => ll - (uncond[i] ?? 0))))
  }
  return out
}

/** TruthfulQA MC1: accuracy with the gold answer always at index 0. */
export function truthfulqaMc1(lls: readonly number[]): number {
  return argmax(lls) === 0 ? 1 : 0
}

/**
 * TruthfulQA MC2: the normalised probability mass of the true answers, `p = exp(ll)` with no length
 * normalisation. The order of operations follows lm-eval's `process_results_mc2` (each probability
 * divided by the total, then the true ones summed); NumPy sums fewer than 8 values in order too, so
 * for TruthfulQA-sized answer lists the float result is the same.
 */
export function truthfulqaMc2(lls: readonly number[], labels: readonly (0 | 1)[]): number {
  const probs = lls.map((ll) => Math.exp(ll))
  const total = probs.reduce((a, p) => a + p, 0)
  if (total === 0) return 0
  let trueMass = 0
  probs.forEach((p, i) => {
    if (labels[i] === 1) trueMass += p / total
  })
  return trueMass
}

/** lm-eval's continuation: `target_delimiter + choice` (delimiter " " by default). */
export function continuationFor(choice: string, targetDelimiter = ' '): string {
  return targetDelimiter + choice
}
