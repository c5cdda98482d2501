import { z } from 'zod'
import { httpUrl, name, positiveInt } from '../config/common.js'
import { generationSchema, metricSpecSchema } from '../eval/config-schema.js'

export const toxicitySchema = z.strictObject({
  scorer: z.enum(['lexicon', 'moderation', 'llama-guard', 'classifier']).default('lexicon'),
  provider: name.optional().describe('Provider serving the moderation / Llama Guard model.'),
  url: httpUrl
    .optional()
    .describe('Classifier endpoint URL (e.g. text-embeddings-inference /predict).'),
  labels: z
    .record(z.string(), z.string())
    .optional()
    .describe('Classifier label to category map (`none` = not toxic).'),
  threshold: z.number().min(0).max(1).default(0.5),
  model: z
    .string()
    .min(1)
    .optional()
    .describe('Model name sent to /v1/moderations (defaults to the provider model).'),
  format: z
    .enum(['template', 'prompt'])
    .default('template')
    .describe(
      "Llama Guard: 'template' sends the conversation to the served model's chat template; 'prompt' sends the official prompt text.",
    ),
  logprobs: z
    .boolean()
    .default(false)
    .describe('Llama Guard: score = P(unsafe) of the first token.'),
  exclude: z
    .array(z.string().regex(/^S(?:[1-9]|1[0-4])$/, 'must be a Llama Guard code S1-S14'))
    .optional()
    .describe('Llama Guard codes reported but not counted as toxic.'),
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
    .optional()
    .describe('Classifier endpoint: environment variable holding a bearer token.'),
  timeout_ms: positiveInt.default(60_000),
  max_retries: z.int().min(0).max(20).default(4),
})
export type ToxicityConfig = z.infer<typeof toxicitySchema>

export const biasSuiteSchema = z.strictObject({
  name,
  kind: z.enum(['counterfactual', 'bbq', 'representation']),
  suite: z
    .string()
    .min(1)
    .describe(
      'Path of the bias suite file (YAML or JSON; BBQ: JSONL), relative to the config file.',
    ),
  provider: name.optional().describe('Run the suite against this provider only.'),
  providers: z
    .array(name)
    .min(1)
    .optional()
    .describe('Run the suite against these providers only.'),
  metrics: z
    .array(metricSpecSchema)
    .optional()
    .describe(
      'Extra metrics on every case (e.g. a judge); counterfactual suites report their gaps too.',
    ),
  generation: generationSchema.optional(),
  samples: positiveInt
    .max(100)
    .optional()
    .describe('Generations per rendered prompt (counterfactual, representation).'),
})
export type BiasSuiteConfig = z.infer<typeof biasSuiteSchema>

export const safetySchema = z.strictObject({
  toxicity: toxicitySchema.optional(),
  pii: z
    .strictObject({
      enabled: z.boolean().default(true),
      ip_addresses: z.boolean().default(false).describe('Also report public IPv4 addresses.'),
    })
    .optional(),
  bias: z.array(biasSuiteSchema).optional(),
})
export type SafetyConfig = z.infer<typeof safetySchema>
