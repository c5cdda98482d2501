import { rollingWindows } from './perplexity.js'

/** One loglikelihood request of a rolling window: the prompt ids and how many of them are context. */
export interface WindowRequest {
  /** Token ids sent as the prompt (context, then the tokens this window scores). */
  tokens: number[]
  /** Prompt tokens before the scored ones; logprobs `[ctxlen, tokens.length)` are summed. */
  ctxlen: number
}

/**
 * lm-eval `make_disjoint_window`: keeps only the context tokens that are not also predicted,
 * `context[: len(context) - (len(predicted) - 1)]`.
 */
export function makeDisjointWindow(
  context: readonly number[],
  predicted: readonly number[],
): [context: number[], predicted: number[]] {
  return [context.slice(0, context.length - (predicted.length - 1)), [...predicted]]
}

/**
 * The requests lm-eval's `loglikelihood_rolling` sends for one document through an API model:
 * `get_rolling_token_windows(tokens, prefix, max_seq_len = maxLength - 1, context_len = 1)`, made
 * disjoint, then truncated as `batch_loglikelihood_requests` does (input = last `maxLength` tokens
 * of context + continuation). Every document token is scored exactly once; a request's prompt is
 * at most `maxLength` tokens, so a server needs a context of `maxLength + 1` (one generated token).
 */
export function rollingRequests(
  tokens: readonly number[],
  prefixToken: number,
  maxLength: number,
): WindowRequest[] {
  if (!Number.isInteger(maxLength) || maxLength < 2)
    throw new Error(`max_length must be an integer of at least 2, got ${maxLength}`)
  return rollingWindows(tokens, prefixToken, maxLength - 1, 1).map(([context, predicted]) => {
    const [ctx, cont] = makeDisjointWindow(context, predicted)
    const all = [...ctx, ...cont]
    const over = Math.max(0, all.length - maxLength)
    return { tokens: all.slice(over), ctxlen: ctx.length - over }
  })
}
