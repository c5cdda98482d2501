import { z } from 'zod'
import { judgePairBothOrders } from './judges/position-swap.js'
import { prometheusAbsoluteMetric } from './judges/prometheus.js'
import { formatRubric, RUBRICS } from './judges/prometheus-prompts.js'
import { selfcheckScores, splitSentences } from './judges/selfcheck.js'
import type { ModelMetric } from './types.js'

const rubricSchema = z.union([
  z.enum(Object.keys(RUBRICS) as [string, ...string[]]),
  z.strictObject({
    criteria: z.string().min(1),
    score1_description: z.string(),
    score2_description: z.string(),
    score3_description: z.string(),
    score4_description: z.string(),
    score5_description: z.string(),
  }),
])

function rubricText(r: z.infer<typeof rubricSchema>): string {
  return typeof r === 'string' ? (RUBRICS[r] ?? '') : formatRubric(r)
}

export const judgeOptionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  rubric: rubricSchema.default('helpfulness'),
  use_reference: z.boolean().optional(),
  temperature: z.number().min(0).max(2).default(0),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: z.int().positive().default(1024),
  retries: z.int().min(0).max(10).default(3),
})

/** Prometheus absolute grading (1-5) by the judge provider. */
export function judgeMetric(spec: z.input<typeof judgeOptionsSchema>): ModelMetric {
  const o = judgeOptionsSchema.parse(spec)
  const name = o.name ?? 'judge'
  const rubric = rubricText(o.rubric)
  const metric = prometheusAbsoluteMetric({
    name,
    rubric,
    useReference: o.use_reference ?? false,
    sampling: {
      temperature: o.temperature,
      max_tokens: o.max_tokens,
      retries: o.retries,
      ...(o.top_p !== undefined ? { top_p: o.top_p } : {}),
    },
  })
  metric.definition = `prometheus-absolute|scale:1-5|temperature:${o.temperature}|retries:${o.retries}|reference:${o.use_reference ?? false}|rubric:${JSON.stringify(rubric)}`
  return metric
}

export const pairwiseOptionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  style: z.enum(['judgelm', 'prometheus']).default('judgelm'),
  against: z
    .string()
    .min(1)
    .default('reference')
    .describe('"reference" or the dataset field holding the other answer.'),
  margin: z.number().min(0).default(0),
  rubric: rubricSchema.default('helpfulness'),
  temperature: z.number().min(0).max(2).default(0),
  max_tokens: z.int().positive().default(512),
})

/**
 * Pairwise judgement of the answer against the reference (or a dataset field), in both orders:
 * `<name>` = 1 win, 0 tie (or disagreement), -1 loss; `<name>_consistent` whether both orders agreed.
 */
export function pairwiseJudgeMetric(spec: z.input<typeof pairwiseOptionsSchema>): ModelMetric {
  const o = pairwiseOptionsSchema.parse(spec)
  const name = o.name ?? 'pairwise_judge'
  const rubric = rubricText(o.rubric)
  return {
    kind: 'model',
    name,
    definition: `pairwise|style:${o.style}|both-orders|disagreement:tie|margin:${o.margin}|temperature:${o.temperature}|against:${o.against}`,
    async score(input, judge, signal) {
      const other = o.against === 'reference' ? input.references[0] : input.vars[o.against]
      if (typeof other !== 'string')
        throw new Error(`pairwise_judge: no ${o.against} answer to compare with`)
      const v = await judgePairBothOrders(
        judge,
        { question: input.prompt ?? '', a: input.prediction, b: other },
        {
          style: o.style,
          margin: o.margin,
          rubric,
          temperature: o.temperature,
          max_tokens: o.max_tokens,
        },
        signal,
      )
      return { [name]: v.label, [`${name}_consistent`]: v.consistent }
    },
  }
}

export const selfcheckOptionsSchema = z.strictObject({ name: z.string().min(1).optional() })

/** SelfCheckGPT (LLM prompt): mean per-sentence probability that the answer is not supported by the samples. */
export function selfcheckMetric(spec: z.input<typeof selfcheckOptionsSchema>): ModelMetric {
  const name = spec.name ?? 'selfcheck'
  return {
    kind: 'model',
    name,
    definition:
      'selfcheckgpt-prompt|yes:0,no:1,other:0.5|temperature:0|max_tokens:5|sentences:punctuation-split',
    async score(input, judge, signal) {
      if (!input.samples || input.samples.length === 0)
        throw new Error('selfcheck needs sampled answers: set `samples:` on the suite')
      const r = await selfcheckScores(
        judge,
        splitSentences(input.prediction),
        input.samples,
        signal,
      )
      return { [name]: r.mean }
    },
  }
}
