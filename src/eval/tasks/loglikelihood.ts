import {
  encodeLoglikelihood,
  loglikelihoodRequest,
  MissingPromptLogprobsError,
  parseLoglikelihood,
  splitContext,
} from '../../metrics/lm-eval/completions-loglikelihood.js'
import type { ChoiceResult } from '../../metrics/lm-eval/multiple-choice.js'
import { ProviderError } from '../../providers/provider-error.js'
import type {
  CallOptions,
  CompletionLogprobs,
  CompletionResponse,
  ModelClient,
  Usage,
} from '../../providers/types.js'

/** Context length lm-evaluation-harness assumes for API models (`max_length`). */
export const MAX_LENGTH = 2048

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

/** Parses echoed logprobs with the metrics' lm-eval parser; a server without prompt logprobs is `unsupported`. */
export function parseChoices(res: CompletionResponse, ctxlens: readonly number[]): ChoiceResult[] {
  try {
    return parseLoglikelihood(res, ctxlens)
  } catch (error) {
    if (error instanceof MissingPromptLogprobsError)
      throw new ProviderError('unsupported', error.message)
    throw new ProviderError('bad_response', error instanceof Error ? error.message : String(error))
  }
}

/** What scoring the continuations of one context cost and returned. */
export interface ContinuationScores {
  results: ChoiceResult[]
  usage: Usage
  latency_ms: number
  cached: boolean
}

const add = (a: number | undefined, b: number | undefined) =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0)

/**
 * One echo request per prompt, merged into one response whose choice i belongs to prompt i. Servers
 * differ on prompt lists: vLLM takes a batch, llama-cpp-python's server asserts a single prompt
 * (HTTP 500), so the portable shape is one prompt per request; the client's concurrency limit still
 * applies to each.
 */
async function completeEach(
  client: ModelClient,
  prompts: (string | number[])[],
  options: CallOptions,
): Promise<CompletionResponse> {
  const parts = await Promise.all(
    prompts.map((p) =>
      client.complete(loglikelihoodRequest([p] as string[] | number[][]), options),
    ),
  )
  const choices = parts.map((r, i) => {
    const choice = r.choices[0]
    if (!choice)
      throw new ProviderError('bad_response', 'the server returned no choice for an echo request')
    return { ...choice, index: i }
  })
  const usage = parts.reduce<CompletionResponse['usage']>((u, r) => {
    const prompt = add(u.prompt_tokens, r.usage.prompt_tokens)
    const completion = add(u.completion_tokens, r.usage.completion_tokens)
    const total = add(u.total_tokens, r.usage.total_tokens)
    return {
      ...(prompt === undefined ? {} : { prompt_tokens: prompt }),
      ...(completion === undefined ? {} : { completion_tokens: completion }),
      ...(total === undefined ? {} : { total_tokens: total }),
    }
  }, {})
  return {
    choices,
    usage,
    latency_ms: Math.max(0, ...parts.map((r) => r.latency_ms)),
    cached: parts.every((r) => r.cached),
  }
}

/**
 * Scores several continuations of one context in one `/v1/completions` request with echo and
 * logprobs, as lm-evaluation-harness's `local-completions` does. With the server's `/tokenize` the
 * prompts are token ids encoded exactly as lm-eval encodes them; otherwise they are text and the
 * context boundary comes from `text_offset`.
 */
export async function scoreContinuations(
  client: ModelClient,
  context: string,
  continuations: readonly string[],
  useTokenize: boolean,
  options: CallOptions = {},
): Promise<ContinuationScores> {
  const pairs = continuations.map((c) => splitContext(context, c))
  let res: CompletionResponse
  let ctxlens: number[]
  if (useTokenize && client.tokenize) {
    const tokenize = client.tokenize.bind(client)
    const ctxIds = new Map<string, Promise<number[]>>()
    const encoded = await Promise.all(
      pairs.map(async (p) => {
        let ctx = ctxIds.get(p.context)
        if (!ctx) {
          ctx = tokenize(p.context, options)
          ctxIds.set(p.context, ctx)
        }
        const [c, whole] = await Promise.all([ctx, tokenize(p.context + p.continuation, options)])
        return encodeLoglikelihood(c, whole, { maxLength: MAX_LENGTH })
      }),
    )
    res = await completeEach(
      client,
      encoded.map((e) => e.tokens),
      options,
    )
    ctxlens = encoded.map((e) => e.ctxlen)
  } else {
    res = await completeEach(
      client,
      pairs.map((p) => p.context + p.continuation),
      options,
    )
    const sorted = [...res.choices].sort((a, b) => a.index - b.index)
    ctxlens = sorted.map((choice, i) =>
      choice.logprobs ? tokenIndexAt(choice.logprobs, pairs[i]?.context ?? '') : 0,
    )
  }
  if (ctxlens.some((n) => n <= 0)) {
    throw new ProviderError(
      'bad_response',
      'could not locate the end of the context in the echoed prompt tokens',
    )
  }
  return {
    results: parseChoices(res, ctxlens),
    usage: res.usage,
    latency_ms: res.latency_ms,
    cached: res.cached,
  }
}
