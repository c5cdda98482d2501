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
 * The requests lm-eval's `loglikelihood_rolling` sends for one document through an API model
 * (lm-eval 0.4.x `TemplateAPI`, which keeps `L = max_length - 1` to leave one token for
 * generation): `get_rolling_token_windows(tokens, prefix, max_seq_len = L - 1, context_len = 1)`,
 * made disjoint, then left-truncated to `L` tokens as `batch_loglikelihood_requests` does. Every
 * document token is scored exactly once; a prompt is at most `max_length - 1` tokens, so with the
 * one generated token a request fits a server context of `max_length`.
 */
export function rollingRequests(
  tokens: readonly number[],
  prefixToken: number,
  maxLength: number,
): WindowRequest[] {
  if (!Number.isInteger(maxLength) || maxLength < 3)
    throw new Error(`max_length must be an integer of at least 3, got ${maxLength}`)
  const limit = maxLength - 1
  return rollingWindows(tokens, prefixToken, limit - 1, 1).map(([context, predicted]) => {
    const [ctx, cont] = makeDisjointWindow(context, predicted)
    const all = [...ctx, ...cont]
    const over = Math.max(0, all.length - limit)
    return { tokens: all.slice(over), ctxlen: ctx.length - over }
  })
}
