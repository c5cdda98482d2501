import { ProviderError } from '../../providers/provider-error.js'
import type { CallOptions, CompletionLogprobs, ModelClient } from '../../providers/types.js'

/** Context length lm-evaluation-harness assumes for API models (`max_length`). */
export const MAX_LENGTH = 2048

/** The request lm-evaluation-harness's `local-completions` sends for loglikelihood (tests/models/test_api.py). */
export const LOGLIKELIHOOD_BODY = {
  max_tokens: 1,
  temperature: 0,
  logprobs: 1,
  seed: 1234,
  echo: true,
} as const

/** One (context, continuation) pair's score: summed logprob of the continuation and whether it is greedy. */
export interface Loglikelihood {
  ll: number
  isGreedy: boolean
  tokens: number
}

/** lm-eval's `_encode_pair` whitespace rule: trailing whitespace of the context moves to the continuation. */
export function splitTrailingWhitespace(context: string, continuation: string): [string, string] {
  const trimmed = context.replace(/\s+$/u, '')
  const n = context.length - trimmed.length
  return n > 0 ? [trimmed, context.slice(trimmed.length) + continuation] : [context, continuation]
}

/**
 * Token ids of context + continuation, truncated on the left to `maxLength - 1`, and the index where
 * the continuation starts (lm-eval: `ctxlen = len(ctx) - max(0, len(ctx) + len(cont) - L)`).
 */
export function encodeTokens(
  ctx: readonly number[],
  whole: readonly number[],
  maxLength = MAX_LENGTH,
): { ids: number[]; ctxlen: number } {
  const cont = whole.slice(ctx.length)
  const L = maxLength - 1
  const all = [...ctx, ...cont]
  const ids = all.slice(Math.max(0, all.length - L))
  const ctxlen = ctx.length - Math.max(0, ctx.length + cont.length - L)
  return { ids, ctxlen }
}

/**
 * Sums the continuation's logprobs of one echoed choice: `token_logprobs[ctxlen:-1]` (the last entry is
 * the one generated token); greedy when each token's logprob is the maximum of its top_logprobs.
 */
export function parseLoglikelihood(
  logprobs: CompletionLogprobs | null,
  ctxlen: number,
): Loglikelihood {
  if (!logprobs)
    throw new ProviderError('unsupported', 'the server returned no logprobs for an echoed prompt')
  const values = logprobs.token_logprobs.slice(ctxlen, -1)
  const tops = (logprobs.top_logprobs ?? []).slice(ctxlen, -1)
  if (values.length === 0 || values.some((v) => v === null)) {
    throw new ProviderError(
      'unsupported',
      'the server did not return logprobs for the prompt tokens (echo); loglikelihood tasks need prompt logprobs',
    )
  }
  let ll = 0
  for (const v of values) ll += v!
  let isGreedy = true
  for (let i = 0; i < values.length; i++) {
    const top = tops[i]
    if (!top) {
      isGreedy = false
      break
    }
    const best = Math.max(...Object.values(top))
    if (values[i] !== best) {
      isGreedy = false
      break
    }
  }
  return { ll, isGreedy, tokens: values.length }
}

/**
 * The index of the first echoed token that starts at or after the end of the context, from `text_offset`
 * (code points, as Python counts them) or else from the token strings' lengths.
 */
export function tokenIndexAt(logprobs: CompletionLogprobs, contextText: string): number {
  const chars = Array.from(contextText).length
  const offsets = logprobs.text_offset
  if (offsets && offsets.length === logprobs.tokens.length) {
    const i = offsets.findIndex((o) => o >= chars)
    return i < 0 ? offsets.length : i
  }
  let pos = 0
  for (let i = 0; i < logprobs.tokens.length; i++) {
    if (pos >= chars) return i
    pos += Array.from(logprobs.tokens[i]!).length
  }
  return logprobs.tokens.length
}

/**
 * Scores several continuations of one context in one `/v1/completions` request with echo and logprobs.
 * With `/tokenize` the prompts are token ids built exactly as lm-evaluation-harness builds them;
 * otherwise they are text and the context boundary comes from `text_offset`.
 */
export async function scoreContinuations(
  client: ModelClient,
  context: string,
  continuations: readonly string[],
  useTokenize: boolean,
  options: CallOptions = {},
): Promise<{
  results: Loglikelihood[]
  usage: Record<string, number | undefined>
  latency_ms: number
  cached: boolean
}> {
  const pairs = continuations.map((c) => splitTrailingWhitespace(context, c))
  let prompts: (string | number[])[]
  let ctxlens: number[] | undefined
  if (useTokenize && client.tokenize) {
    const ctxCache = new Map<string, number[]>()
    const encoded = await Promise.all(
      pairs.map(async ([ctx, cont]) => {
        let ctxIds = ctxCache.get(ctx)
        if (!ctxIds) {
          ctxIds = await client.tokenize!(ctx, options)
          ctxCache.set(ctx, ctxIds)
        }
        const whole = await client.tokenize!(ctx + cont, options)
        return encodeTokens(ctxIds, whole)
      }),
    )
    prompts = encoded.map((e) => e.ids)
    ctxlens = encoded.map((e) => e.ctxlen)
  } else {
    prompts = pairs.map(([ctx, cont]) => ctx + cont)
  }
  const res = await client.complete({ prompt: prompts, ...LOGLIKELIHOOD_BODY }, options)
  if (res.choices.length !== prompts.length) {
    throw new ProviderError(
      'bad_response',
      `expected ${prompts.length} choices in the echoed completion, got ${res.choices.length}`,
    )
  }
  const results = res.choices.map((choice, i) => {
    const ctxlen = ctxlens
      ? ctxlens[i]!
      : choice.logprobs
        ? tokenIndexAt(choice.logprobs, pairs[i]![0])
        : 0
    if (ctxlen <= 0)
      throw new ProviderError(
        'bad_response',
        'could not locate the end of the context in the echoed tokens',
      )
    return parseLoglikelihood(choice.logprobs, ctxlen)
  })
  return { results, usage: { ...res.usage }, latency_ms: res.latency_ms, cached: res.cached }
}
