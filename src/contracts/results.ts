import { z } from 'zod'

/** Error kinds a case can end with; every case ends scored or with one of these, never dropped. */
export const errorKindSchema = z.enum([
  'timeout',
  'rate_limited',
  'server_error',
  'connection',
  'bad_response',
  'unsupported',
  'template',
  'metric',
  'cancelled',
])
export type ErrorKind = z.infer<typeof errorKindSchema>

export const usageSchema = z
  .object({
    prompt_tokens: z.number().optional(),
    completion_tokens: z.number().optional(),
    total_tokens: z.number().optional(),
  })
  .loose()

/** One line of results.jsonl: one case × provider, written as the case finishes (DESIGN.md contract). */
export const resultRowSchema = z
  .object({
    suite: z.string(),
    case: z.string(),
    provider: z.string(),
    model: z.string(),
    input: z.unknown(),
    output: z.string().nullable(),
    reference: z.unknown().optional(),
    metrics: z.record(z.string(), z.union([z.number(), z.boolean(), z.null()])),
    error: z.object({ kind: errorKindSchema, message: z.string() }).nullable(),
    latency_ms: z.number().nullable(),
    usage: usageSchema.default({}),
    cached: z.boolean(),
    /** Line of the dataset file the case came from, for annotations. */
    source: z.object({ file: z.string(), line: z.number() }).optional(),
    tags: z.array(z.string()).optional(),
  })
  .loose()
export type ResultRow = z.infer<typeof resultRowSchema>
