import { ProviderError } from '../../providers/provider-error.js'
import type { CallOptions, ModelClient, Usage } from '../../providers/types.js'
import {
  loglikelihoodRequest,
  MissingPromptLogprobsError,
  parseLoglikelihood,
} from './completions-loglikelihood.js'
import { rollingRequests } from './rolling-windows.js'

/** lm-evaluation-harness's `max_length` for API models when none is given. */
export const LM_EVAL_MAX_LENGTH = 2048

/** How a client turns text into token ids and back, when not through `client.tokenize`. */
export interface RollingTokenizer {
  encode(text: string, call: CallOptions): Promise<number[]>
  /** Needed for text prompts only. */
  decode?(ids: number[], call: CallOptions): Promise<string>
}

export interface RollingOptions {
  /** The first window's context token (lm-eval `prefix_token_id`: BOS, else EOS). */
  prefixToken: number
  /**
   * lm-eval `max_length` (default 2048, its default for API models): a request's prompt is at most
   * `max_length - 1` tokens plus the one generated token.
   */
  maxLength?: number
  /**
   * The server's context length (prompt + generated tokens), from config or `probeContextLength`.
   * `max_length` is capped at it, so every request fits.
   */
  contextLength?: number | null
  /**
   * `ids` (default) sends each window as token ids; `text` sends the decoded window, as lm-eval does
   * with `tokenized_requests=False`, for servers that take only text prompts (llama-cpp-python).
   */
  promptFormat?: 'ids' | 'text'
  /** Defaults to the client's `/tokenize` (ids only). */
  tokenizer?: RollingTokenizer
}

/** A document's rolling loglikelihood and what it cost. */
export interface RollingLoglikelihood {
  /** Sum of the windows' loglikelihoods: every document token scored exactly once. */
  ll: number
  /** Document tokens (the tokens scored). */
  tokens: number
  /** Requests sent, one per window. */
  windows: number
  /** lm-eval `max_length` actually used, after the context cap (prompts of at most one less). */
  max_length: number
  usage: Usage
  /** Sum of the windows' latencies. */
  latency_ms: number
  /** Whether every window came from the response cache. */
  cached: boolean
}

function clientTokenizer(client: ModelClient): RollingTokenizer {
  const tokenize = client.tokenize?.bind(client)
  if (!tokenize)
    throw new ProviderError(
      'unsupported',
      `provider '${client.provider}' has no /tokenize endpoint, which rolling perplexity needs to cut token windows`,
    )
  return { encode: (text, call) => tokenize(text, call) }
}

/** The `max_length` to use: lm-eval's, capped at the server's context length. */
export function effectiveMaxLength(options: RollingOptions): number {
  const wanted = options.maxLength ?? LM_EVAL_MAX_LENGTH
  const ctx = options.contextLength
  return ctx === null || ctx === undefined ? wanted : Math.min(wanted, ctx)
}

/**
 * lm-eval `loglikelihood_rolling` over `/v1/completions`: the document is tokenized through the
 * server's `/tokenize` (no special tokens), split into disjoint windows of at most `max_length - 1`
 * prompt tokens, each window sent as token ids with echo and logprobs, and the scored logprobs of
 * all windows summed in window order. Documents longer than the server's context are scored in
 * full this way, not truncated.
 */
export async function rollingLoglikelihood(
  client: ModelClient,
  text: string,
  options: RollingOptions,
  call: CallOptions = {},
): Promise<RollingLoglikelihood> {
  const tokenizer = options.tokenizer ?? clientTokenizer(client)
  const maxLength = effectiveMaxLength(options)
  const tokens = await tokenizer.encode(text, call)
  const requests = rollingRequests(tokens, options.prefixToken, maxLength)
  const decode = options.promptFormat === 'text' ? tokenizer.decode?.bind(tokenizer) : undefined
  if (options.promptFormat === 'text' && !decode)
    throw new ProviderError('unsupported', 'text prompts need a tokenizer that can decode ids')
  const responses = await Promise.all(
    requests.map(async (r) => {
      const prompt = decode ? await decode(r.tokens, call) : r.tokens
      return client.complete(loglikelihoodRequest([prompt] as string[] | number[][]), call)
    }),
  )
  let ll = 0
  const usage: Required<Usage> = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }
  let latency = 0
  responses.forEach((res, i) => {
    let window: number
    try {
      window = parseLoglikelihood(res, [requests[i]?.ctxlen ?? 0])[0]?.ll ?? 0
    } catch (error) {
      if (error instanceof MissingPromptLogprobsError)
        throw new ProviderError('unsupported', error.message)
      throw new ProviderError(
        'bad_response',
        error instanceof Error ? error.message : String(error),
      )
    }
    ll += window
    usage.prompt_tokens += res.usage.prompt_tokens ?? 0
    usage.completion_tokens += res.usage.completion_tokens ?? 0
    usage.total_tokens += res.usage.total_tokens ?? 0
    latency += res.latency_ms
  })
  return {
    ll,
    tokens: tokens.length,
    windows: requests.length,
    max_length: maxLength,
    usage,
    latency_ms: latency,
    cached: responses.every((r) => r.cached),
  }
}
