import { z } from 'zod'
import { name, positiveInt } from '../config/common.js'

export const sloSchema = z.strictObject({
  ttft_ms: z.number().positive().optional(),
  tpot_ms: z.number().positive().optional(),
  e2e_ms: z.number().positive().optional(),
})

export const scenarioSchema = z.strictObject({
  name,
  provider: name.optional(),
  concurrency: z.array(positiveInt.max(4096)).min(1).optional(),
  rate: z.array(z.number().positive()).min(1).optional(),
  burstiness: z.number().positive().default(1),
  requests: positiveInt.default(200),
  duration_s: z.number().positive().optional(),
  warmup: z.int().min(0).default(8),
  input_tokens: positiveInt.default(256),
  output_tokens: positiveInt.default(128),
  dataset: z.string().optional(),
  seed: z.int().default(0),
  slo: sloSchema.optional(),
})

export const benchmarkSchema = z.strictObject({
  provider: name.optional(),
  scenarios: z.array(scenarioSchema).min(1),
})
export type BenchmarkConfig = z.infer<typeof benchmarkSchema>
