import { ProviderError } from '../../providers/provider-error.js'
import type { CallOptions, ModelClient } from '../../providers/types.js'
import type { SuiteConfig } from '../config-schema.js'
import { renderDocument } from '../prompt-render.js'
import type { EvalCase } from '../suite-cases.js'
import { LOGLIKELIHOOD_BODY } from './loglikelihood.js'
import type { TaskOutcome } from './task-outcome.js'

// Python's `\s` for str patterns (str.isspace): unlike JS `\s` it includes 0x1c-0x1f and U+0085 and excludes U+FEFF.
const PY_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
])

/** lm-eval's word count: `len(re.split(r"\s+", doc))`, i.e. whitespace runs + 1 (empty ends included). */
export function wordCount(doc: string): number {
  let pieces = 1
  let inRun = false
  for (let i = 0; i < doc.length; i++) {
    if (PY_SPACE.has(doc.charCodeAt(i))) {
      if (!inRun) pieces++
      inRun = true
    } else inRun = false
  }
  return pieces
}

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
  const res = await client.complete({ prompt: doc, ...LOGLIKELIHOOD_BODY }, options)
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
      words: wordCount(doc),
      bytes: Buffer.byteLength(doc, 'utf8'),
      token_perplexity: Math.exp(-ll / scored.length),
    },
    prompt: doc,
    latency_ms: res.latency_ms,
    usage: res.usage,
    cached: res.cached,
  }
}
