import type { CompletionRequest, CompletionResponse } from '../../providers/types.js'
import { pyRstrip } from '../text/python-str.js'
import type { ChoiceResult } from './multiple-choice.js'

/**
 * lm-eval's context/continuation split: trailing whitespace of the context moves to the start of
 * the continuation (`n_spaces = len(context) - len(context.rstrip())`).
 */
export function splitContext(
  context: string,
  continuation: string,
): { context: string; continuation: string } {
  const trimmed = pyRstrip(context)
  const moved = context.slice(trimmed.length)
  return { context: trimmed, continuation: moved + continuation }
}

/** Token ids of one loglikelihood request after lm-eval's encoding and left truncation. */
export interface EncodedRequest {
  /** The ids sent as the prompt: the last `maxLength - 1` of context + continuation. */
  tokens: number[]
  /** How many prompt tokens belong to the context (the scored slice starts here). */
  ctxlen: number
}

/**
 * lm-eval `_encode_pair` + truncation: `whole = tok(context + continuation)`, `ctx = tok(context)`,
 * continuation = `whole[len(ctx):]`; an empty context becomes `[prefixToken]`. Input = last
 * `maxLength - 1` tokens, `ctxlen = len(ctx) - max(0, len(ctx) + len(cont) - (maxLength - 1))`.
 */
export function encodeLoglikelihood(
  contextTokens: readonly number[],
  wholeTokens: readonly number[],
  options: { maxLength?: number; prefixToken?: number } = {},
): EncodedRequest {
  const maxLength = options.maxLength ?? 2048
  let ctx = [...contextTokens]
  let cont = wholeTokens.slice(contextTokens.length)
  if (contextTokens.length === 0) {
    if (options.prefixToken === undefined)
      throw new Error('an empty context needs a prefix token (BOS or EOS)')
    ctx = [options.prefixToken]
    cont = [...wholeTokens]
  }
  const limit = maxLength - 1
  const all = [...ctx, ...cont]
  const tokens = all.slice(Math.max(0, all.length - limit))
  const ctxlen = ctx.length - Math.max(0, ctx.length + cont.length - limit)
  return { tokens, ctxlen }
}

/**
 * The `/v1/completions` body lm-eval's `local-completions` sends for loglikelihood:
 * `{prompt, temperature: 0, max_tokens: 1, logprobs: 1, seed: 1234, echo: true}` (model added by the client).
 */
export function loglikelihoodRequest(
  prompts: readonly (string | number[])[],
  seed = 1234,
): CompletionRequest {
  return { prompt: [...prompts], temperature: 0, max_tokens: 1, logprobs: 1, seed, echo: true }
}

/** Thrown when a server does not return echoed prompt logprobs (llama.cpp, chat-only endpoints). */
export class MissingPromptLogprobsError extends Error {
  constructor(detail: string) {
    super(
      `the server did not return prompt logprobs (${detail}); loglikelihood tasks need /v1/completions with echo and logprobs (vLLM, SGLang, TGI)`,
    )
    this.name = 'MissingPromptLogprobsError'
  }
}

/**
 * lm-eval `parse_logprobs`: per choice (sorted by `index`), `ll = Σ token_logprobs[ctxlen:-1]`
 * (the last entry is the one generated token) and `is_greedy` = each token's logprob in that slice
 * equals the largest value of its `top_logprobs` entry. `ctxlens[i]` belongs to the i-th prompt.
 */
export function parseLoglikelihood(
  response: CompletionResponse,
  ctxlens: readonly number[],
): ChoiceResult[] {
  const choices = [...response.choices].sort((a, b) => a.index - b.index)
  if (choices.length !== ctxlens.length) {
    throw new Error(
      `expected ${ctxlens.length} choices in the completion response, got ${choices.length}`,
    )
  }
  return choices.map((choice, i) => {
    const lp = choice.logprobs
    if (!lp || !Array.isArray(lp.token_logprobs))
      throw new MissingPromptLogprobsError('no logprobs in the response')
    const ctxlen = ctxlens[i] ?? 0
    const end = lp.token_logprobs.length - 1
    if (end < ctxlen)
      throw new MissingPromptLogprobsError(
        `only ${lp.token_logprobs.length} logprobs for a prompt of more than ${ctxlen} tokens`,
      )
    let ll = 0
    let isGreedy = true
    for (let k = ctxlen; k < end; k++) {
      const v = lp.token_logprobs[k]
      if (v === null || v === undefined)
        throw new MissingPromptLogprobsError(`null logprob at prompt position ${k}`)
      ll += v
      // lm-eval compares values, not token strings: a tie with another token still counts as
      // greedy, and two tokens that decode to the same text cannot be confused.
      const top = lp.top_logprobs?.[k]
      if (top && v !== Math.max(...Object.values(top))) isGreedy = false
    }
    return { ll, isGreedy }
  })
}
