import { countWords, tokenPerplexity } from '../../metrics/lm-eval/perplexity.js'
import { loglikelihoodRequest } from '../../metrics/lm-eval/completions-loglikelihood.js'
import { rollingLoglikelihood } from '../../metrics/lm-eval/rolling-loglikelihood.js'
import { ProviderError } from '../../providers/provider-error.js'
import type { CallOptions, ModelClient } from '../../providers/types.js'
import type { SuiteConfig } from '../config-schema.js'
import { renderDocument } from '../prompt-render.js'
import type { EvalCase } from '../suite-cases.js'

import type { PerplexityScoring } from './perplexity-scoring.js'
import type { TaskOutcome } from './task-outcome.js'

/**
 * Runs a perplexity case as the provider's scoring says: lm-eval's `loglikelihood_rolling` (every
 * token scored, in windows of at most the suite's `max_length`), or the single-request fallback.
 * Either way the row records its `method`, `loglikelihood`, `tokens`, `words` and `bytes`, which
 * the summary aggregates into lm-eval's weighted perplexities.
 */
export async function runPerplexityTask(
  suite: SuiteConfig,
  c: EvalCase,
  client: ModelClient,
  scoring: PerplexityScoring,
  options: CallOptions,
): Promise<TaskOutcome> {
  const doc = renderDocument(suite, c.vars, c.id)
  if (scoring.method === 'single') return singleRequest(doc, client, options)
  const r = await rollingLoglikelihood(
    client,
    doc,
    {
      prefixToken: scoring.prefixToken,
      contextLength: scoring.contextLength,
      ...(suite.max_length !== undefined ? { maxLength: suite.max_length } : {}),
    },
    options,
  )
  return {
    input: { document: doc, max_length: r.max_length, prefix_token_id: scoring.prefixToken },
    output: null,
    references: [],
    metrics: {
      loglikelihood: r.ll,
      tokens: r.tokens,
      windows: r.windows,
      words: countWords(doc),
      bytes: Buffer.byteLength(doc, 'utf8'),
      token_perplexity: r.tokens > 0 ? Math.exp(-r.ll / r.tokens) : null,
    },
    method: 'rolling',
    prompt: doc,
    latency_ms: r.latency_ms,
    usage: r.usage,
    cached: r.cached,
  }
}

/**
 * FALLBACK for servers that cannot tokenize: the whole document is echoed in one request and the
 * logprobs of its tokens summed. The first token has no context (no BOS is added) and is not
 * scored; a document longer than the server's context is refused by the server.
 */
async function singleRequest(
  doc: string,
  client: ModelClient,
  options: CallOptions,
): Promise<TaskOutcome> {
  const res = await client.complete(loglikelihoodRequest([doc]), options)
  const lp = res.choices[0]?.logprobs
  const values = lp?.token_logprobs.slice(0, -1) ?? []
  const scored = values.filter((v): v is number => typeof v === 'number')
  if (values.length < 2 || scored.length === 0) {
    throw new ProviderError(
      'unsupported',
      'the server returned no prompt logprobs for the echoed document',
    )
  }
  let ll = 0
  for (const v of scored) ll += v
  return {
    input: { document: doc },
    output: null,
    references: [],
    metrics: {
      loglikelihood: ll,
      tokens: scored.length,
      words: countWords(doc),
      bytes: Buffer.byteLength(doc, 'utf8'),
      token_perplexity: tokenPerplexity(scored),
    },
    method: 'single',
    prompt: doc,
    latency_ms: res.latency_ms,
    usage: res.usage,
    cached: res.cached,
  }
}
