import { z } from 'zod'
import { provenanceSchema } from './provenance.js'

export const tokenSourceSchema = z.enum([
  'usage_continuous',
  'usage_final',
  'chunk_count',
  'retokenized',
])

export const benchRequestSchema = z
  .object({
    scenario: z.string(),
    load: z.string(),
    /** The `x-request-id` header sent with the request (optional for older files). */
    request_id: z.string().optional(),
    ok: z.boolean(),
    error: z.string().nullable(),
    ttfb_ms: z.number().nullable(),
    ttft_ms: z.number().nullable(),
    ttfo_ms: z.number().nullable(),
    tpot_ms: z.number().nullable(),
    e2e_ms: z.number().nullable(),
    done_ms: z.number().nullable(),
    input_tokens: z.number().nullable(),
    output_tokens: z.number().nullable(),
    token_source: tokenSourceSchema.nullable(),
    itl_ms: z.array(z.number()),
    icl_ms: z.array(z.number()).optional(),
    schedule_lag_ms: z.number().nullable().optional(),
  })
  .loose()
export type BenchRequest = z.infer<typeof benchRequestSchema>

export const percentilesSchema = z
  .object({
    n: z.number(),
    mean: z.number().nullable(),
    p50: z.number().nullable(),
    p90: z.number().nullable(),
    p95: z.number().nullable(),
    p99: z.number().nullable(),
    ci95: z.record(z.string(), z.tuple([z.number(), z.number()]).nullable()).optional(),
  })
  .loose()

/** bench.json (DESIGN.md contract): per-request records, summaries per run, and the validity verdict. */
export const benchSchema = z
  .object({
    runs: z.array(
      z
        .object({
          scenario: z.string(),
          load: z.string(),
          summary: z.record(
            z.string(),
            z.union([percentilesSchema, z.number(), z.string(), z.null()]),
          ),
          validity: z
            .object({
              verdict: z.enum(['valid', 'degraded', 'invalid']),
              reasons: z.array(z.string()),
            })
            .loose(),
        })
        .loose(),
    ),
    requests: z.array(benchRequestSchema),
    summary: z.record(z.string(), z.union([percentilesSchema, z.number(), z.string(), z.null()])),
    validity: z
      .object({
        verdict: z.enum(['valid', 'degraded', 'invalid']),
        reasons: z.array(z.string()),
        client_lag_ms: z.number().nullable().optional(),
      })
      .loose(),
    provenance: provenanceSchema.optional(),
  })
  .loose()
export type Bench = z.infer<typeof benchSchema>
