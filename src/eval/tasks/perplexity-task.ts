import { countWords, tokenPerplexity } from '../../metrics/lm-eval/perplexity.js'
import { loglikelihoodRequest } from '../../metrics/lm-eval/completions-loglikelihood.js'
import { ProviderError } from '../../providers/provider-error.js'
import type { CallOptions, ModelClient } from '../../providers/types.js'
import type { SuiteConfig } from '../config-schema.js'
import { renderDocument } from '../prompt-render.js'
import type { EvalCase } from '../suite-cases.js'

import type { TaskOutcome } from './task-outcome.js'

/**
 * Runs a perplexity case: the document is echoed through `/v1/completions` and the logprobs of its
 * tokens summed. The first token has no context (no BOS is added) and is not scored.
 */
export async function runPerplexityTask(
  suite: SuiteConfig,
  c: EvalCase,
  client: ModelClient,
  options: CallOptions,
): Promise<TaskOutcome> {
  const doc = renderDocument(suite, c.vars, c.id)
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
    prompt: doc,
    latency_ms: res.latency_ms,
    usage: res.usage,
    cached: res.cached,
  }
}
