import { z } from 'zod'
import { provenanceSchema } from './provenance.js'

export const metricSummarySchema = z.object({
  n: z.number(),
  mean: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
})
export type MetricSummary = z.infer<typeof metricSummarySchema>

/** summary.json: per suite, provider and metric {n, mean, ci95}, errors by kind, provenance (DESIGN.md contract). */
export const summarySchema = z
  .object({
    suites: z.record(
      z.string(),
      z.object({
        providers: z.record(
          z.string(),
          z
            .object({
              cases: z.number(),
              errors: z.number(),
              errors_by_kind: z.record(z.string(), z.number()),
              metrics: z.record(z.string(), metricSummarySchema),
              /** Corpus-level scores (e.g. corpus BLEU), which are not means of case scores. */
              corpus: z.record(z.string(), z.number()).optional(),
              usage: z
                .object({ prompt_tokens: z.number(), completion_tokens: z.number() })
                .optional(),
              wall_ms: z.number().optional(),
              cache_hits: z.number().optional(),
            })
            .loose(),
        ),
      }),
    ),
    totals: z.object({ cases: z.number(), errors: z.number(), cached: z.number() }).loose(),
    provenance: provenanceSchema,
  })
  .loose()
export type Summary = z.infer<typeof summarySchema>
