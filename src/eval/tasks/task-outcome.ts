import type { MetricValue } from '../../metrics/types.js'
import type { Usage } from '../../providers/types.js'

/** What running one case's task against a provider produced, before case metrics are applied. */
export interface TaskOutcome {
  /** What was sent (chat messages, or the multiple-choice context and choices), recorded in results.jsonl. */
  input: unknown
  output: string | null
  references: string[]
  /** Scores the task itself produces (acc for multiple choice, loglikelihood for perplexity). */
  metrics: Record<string, MetricValue>
  /** The rendered user prompt, for judges. */
  prompt: string
  samples?: string[]
  /** Loglikelihood tasks: the loglikelihood of each choice (or document), in order, for audits. */
  loglikelihoods?: number[]
  /** Perplexity: how the document was scored (rolling windows, or the single-request fallback). */
  method?: 'rolling' | 'single'
  latency_ms: number
  usage: Usage
  cached: boolean
}

/** Adds usage counters. */
export function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = { ...a }
  for (const k of ['prompt_tokens', 'completion_tokens', 'total_tokens'] as const) {
    if (b[k] !== undefined) out[k] = (out[k] ?? 0) + b[k]
  }
  return out
}
