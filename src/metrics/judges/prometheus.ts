import type { ChatMessage, ChatRequest, ModelClient } from '../../providers/types.js'
import type { CaseInput, MetricValue, ModelMetric } from '../types.js'
import {
  ABS_SYSTEM_PROMPT,
  ABSOLUTE_PROMPT,
  ABSOLUTE_PROMPT_WO_REF,
  fill,
  REL_SYSTEM_PROMPT,
  RELATIVE_PROMPT,
  RELATIVE_PROMPT_WO_REF,
} from './prometheus-prompts.js'

// metrics.md 8.1: these JS forms reproduce every value of prometheus-eval's tests/test_parser.py.
const ABSOLUTE_RE =
  /(?:\[RESULT\]|\[SCORE\]|Score:?|score:?|Result:?|\[Result\]:?|score\s+of)\s*(?:\(|\[|\s)*(\d+)(?:(?:\)|\]|\s|$)|(?:\/\s*5|\s*out\s*of\s*5))?(?:\s*$)/i
const RELATIVE_RE =
  /(?:\[RESULT\]|\[RESULT:\s*|\[Response\s+|\[Result\](?:\s+Response)?|\[Result:\s*|(?:^|\n)Result:?\s*)\s*(A|B)(?:\])?(?:\s*$)/im

/** Parses an absolute-grading output: the score 1-5 and the whole output as feedback, or nulls. */
export function parseAbsolute(output: string | null | undefined): {
  score: number | null
  feedback: string | null
} {
  if (!output) return { score: null, feedback: null }
  const m = ABSOLUTE_RE.exec(output)
  const n = m ? Number(m[1]) : NaN
  return Number.isInteger(n) && n >= 1 && n <= 5
    ? { score: n, feedback: output }
    : { score: null, feedback: output }
}

/** Parses a relative-grading output: `A`, `B` or null. */
export function parseRelative(output: string | null | undefined): {
  winner: 'A' | 'B' | null
  feedback: string | null
} {
  if (!output) return { winner: null, feedback: null }
  const m = RELATIVE_RE.exec(output)
  return { winner: m ? (m[1] as 'A' | 'B') : null, feedback: output }
}

/** Messages of an absolute-grading request. */
export function absolutePrompt(p: {
  instruction: string
  response: string
  rubric: string
  reference?: string
}): ChatMessage[] {
  const user =
    p.reference !== undefined
      ? fill(ABSOLUTE_PROMPT, {
          instruction: p.instruction,
          response: p.response,
          reference_answer: p.reference,
          rubric: p.rubric,
        })
      : fill(ABSOLUTE_PROMPT_WO_REF, {
          instruction: p.instruction,
          response: p.response,
          rubric: p.rubric,
        })
  return [
    { role: 'system', content: ABS_SYSTEM_PROMPT },
    { role: 'user', content: user },
  ]
}

/** Messages of a relative-grading request (A vs B). */
export function relativePrompt(p: {
  instruction: string
  responseA: string
  responseB: string
  rubric: string
  reference?: string
}): ChatMessage[] {
  const values = {
    instruction: p.instruction,
    response_A: p.responseA,
    response_B: p.responseB,
    rubric: p.rubric,
  }
  const user =
    p.reference !== undefined
      ? fill(RELATIVE_PROMPT, { ...values, reference_answer: p.reference })
      : fill(RELATIVE_PROMPT_WO_REF, values)
  return [
    { role: 'system', content: REL_SYSTEM_PROMPT },
    { role: 'user', content: user },
  ]
}

/** Sampling of judge calls; CI default is deterministic (temperature 0), Prometheus' own default is 1.0. */
export interface JudgeSampling {
  temperature: number
  top_p?: number
  max_tokens: number
  /** Re-asks when the output does not parse (upstream: 10), then the score is null. */
  retries: number
}

export const DEFAULT_JUDGE_SAMPLING: JudgeSampling = {
  temperature: 0,
  max_tokens: 1024,
  retries: 3,
}

function request(messages: ChatMessage[], s: JudgeSampling): ChatRequest {
  const r: ChatRequest = { messages, temperature: s.temperature, max_tokens: s.max_tokens }
  if (s.top_p !== undefined) r.top_p = s.top_p
  return r
}

/** Prometheus absolute grading as a metric: `{<name>: 1-5 | null, <name>_feedback: text}`. */
export function prometheusAbsoluteMetric(options: {
  name: string
  rubric: string
  useReference: boolean
  sampling?: JudgeSampling
}): ModelMetric {
  const sampling = options.sampling ?? DEFAULT_JUDGE_SAMPLING
  return {
    kind: 'model',
    name: options.name,
    async score(
      input: CaseInput,
      judge: ModelClient,
      signal?: AbortSignal,
    ): Promise<Record<string, MetricValue>> {
      const reference = options.useReference ? input.references[0] : undefined
      const messages = absolutePrompt({
        instruction: input.prompt ?? '',
        response: input.prediction,
        rubric: options.rubric,
        ...(reference !== undefined ? { reference } : {}),
      })
      let parsed: { score: number | null } = { score: null }
      for (let attempt = 0; attempt <= sampling.retries && parsed.score === null; attempt++) {
        const res = await judge.chat(request(messages, sampling), signal ? { signal } : {})
        parsed = parseAbsolute(res.text)
      }
      return { [options.name]: parsed.score }
    },
  }
}

export { request as judgeRequest }
