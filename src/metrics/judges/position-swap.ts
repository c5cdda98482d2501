import type { ChatRequest, ModelClient } from '../../providers/types.js'
import { judgelmPrompt, parseJudgelmScores, winLabel } from './judgelm.js'
import { parseRelative, relativePrompt } from './prometheus.js'

/** The verdict of one pair judged in both orders. 1: first answer better, -1: second better, 0: tie. */
export interface SwappedVerdict {
  /** Label of the original order. */
  forward: 1 | 0 | -1 | null
  /** Label of the swapped order, flipped back to the original positions. */
  backward: 1 | 0 | -1 | null
  /** MT-Bench rule: a tie when either order says tie or the orders disagree. */
  label: 1 | 0 | -1 | null
  consistent: boolean | null
  /** Each answer's score averaged over both orders (JudgeLM style only). */
  meanScores?: [number, number]
}

/** Combines the two orders: disagreement or any tie is a tie; an unparsable run leaves no verdict. */
export function combineOrders(
  forward: 1 | 0 | -1 | null,
  backward: 1 | 0 | -1 | null,
): Pick<SwappedVerdict, 'label' | 'consistent'> {
  if (forward === null || backward === null) return { label: null, consistent: null }
  return { label: forward === backward ? forward : 0, consistent: forward === backward }
}

export interface PairwiseJudgeOptions {
  style: 'judgelm' | 'prometheus'
  /** JudgeLM tie margin T. */
  margin: number
  rubric: string
  temperature: number
  max_tokens: number
}

async function once(
  judge: ModelClient,
  question: string,
  first: string,
  second: string,
  reference: string | undefined,
  o: PairwiseJudgeOptions,
  signal?: AbortSignal,
): Promise<{ label: 1 | 0 | -1 | null; scores?: [number, number] }> {
  const base = { temperature: o.temperature, max_tokens: o.max_tokens }
  const call = (req: ChatRequest) => judge.chat(req, signal ? { signal } : {})
  if (o.style === 'judgelm') {
    const res = await call({
      ...base,
      messages: judgelmPrompt({
        question,
        answer1: first,
        answer2: second,
        ...(reference !== undefined ? { reference } : {}),
      }),
    })
    const [s1, s2] = parseJudgelmScores(res.text)
    if (s1 === -1 && s2 === -1) return { label: null }
    return { label: winLabel(s1, s2, o.margin), scores: [s1, s2] }
  }
  const res = await call({
    ...base,
    messages: relativePrompt({
      instruction: question,
      responseA: first,
      responseB: second,
      rubric: o.rubric,
      ...(reference !== undefined ? { reference } : {}),
    }),
  })
  const { winner } = parseRelative(res.text)
  return { label: winner === null ? null : winner === 'A' ? 1 : -1 }
}

/** Judges (a, b) and (b, a) and flips the second run back. */
export async function judgePairBothOrders(
  judge: ModelClient,
  pair: { question: string; a: string; b: string; reference?: string },
  options: PairwiseJudgeOptions,
  signal?: AbortSignal,
): Promise<SwappedVerdict> {
  const f = await once(judge, pair.question, pair.a, pair.b, pair.reference, options, signal)
  const r = await once(judge, pair.question, pair.b, pair.a, pair.reference, options, signal)
  const backward = r.label === null ? null : ((-r.label || 0) as 1 | 0 | -1)
  const verdict: SwappedVerdict = {
    forward: f.label,
    backward,
    ...combineOrders(f.label, backward),
  }
  if (f.scores && r.scores)
    verdict.meanScores = [(f.scores[0] + r.scores[1]) / 2, (f.scores[1] + r.scores[0]) / 2]
  return verdict
}

/** JudgeLM's position-bias statistics over pairs whose both runs parsed (upstream spelling kept). */
export interface PositionBias {
  n: number
  consistency: number
  perfer_before_rate: number
  perfer_after_rate: number
  delta_bias: number
  total_bias: number
}

/**
 * Consistency and position bias: of the inconsistent pairs, "before" favoured the answer shown
 * first in both runs, "after" the answer shown second. Rates are over all parsed pairs.
 */
export function positionBias(
  verdicts: readonly Pick<SwappedVerdict, 'forward' | 'backward'>[],
): PositionBias {
  let n = 0
  let same = 0
  let before = 0
  let after = 0
  for (const v of verdicts) {
    if (v.forward === null || v.backward === null) continue
    n++
    if (v.forward === v.backward) {
      same++
      continue
    }
    // Position preference of each run (1 = the answer shown first): forward as is, the swapped run's
    // raw label is -backward. Inconsistent pairs have a non-zero sum, which says which position won.
    if (v.forward - v.backward > 0) before++
    else after++
  }
  const rate = (x: number): number => (n === 0 ? 0 : x / n)
  return {
    n,
    consistency: rate(same),
    perfer_before_rate: rate(before),
    perfer_after_rate: rate(after),
    delta_bias: rate(Math.abs(before - after)),
    total_bias: rate(before + after),
  }
}
