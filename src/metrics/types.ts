import type { ModelClient } from '../providers/types.js'

/** A value a metric gives one case: numbers for scores, booleans for pass/fail, null when undefined. */
export type MetricValue = number | boolean | null

/** Everything a case-level metric may look at. */
export interface CaseInput {
  prediction: string
  references: string[]
  /** The case's dataset row (for templated options such as `contains: "{{ must_mention }}"`). */
  vars: Record<string, unknown>
  /** The rendered prompt (for judges). */
  prompt?: string
  /** Extra sampled answers (SelfCheckGPT). */
  samples?: string[]
}

/** A metric computed from one case alone; may return several named values (e.g. rougeL and its P/R). */
export interface CaseMetric {
  kind: 'case'
  name: string
  /** What exactly is computed (reference, version, options), so comparisons can refuse differing definitions. */
  definition?: string
  score(input: CaseInput): Record<string, MetricValue>
}

/** A metric that needs a model call per case (judges, SelfCheckGPT). */
export interface ModelMetric {
  kind: 'model'
  name: string
  /** What exactly is computed (reference, version, options), so comparisons can refuse differing definitions. */
  definition?: string
  score(
    input: CaseInput,
    judge: ModelClient,
    signal?: AbortSignal,
  ): Promise<Record<string, MetricValue>>
}

/** A metric over the whole suite that is not a mean of case scores (corpus BLEU, chrF, perplexity). */
export interface CorpusMetric {
  kind: 'corpus'
  name: string
  /** What exactly is computed (reference, version, options), so comparisons can refuse differing definitions. */
  definition?: string
  score(inputs: CaseInput[]): Record<string, number>
}

export type Metric = CaseMetric | ModelMetric | CorpusMetric
