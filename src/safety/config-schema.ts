import { z } from 'zod'
import { httpUrl, name } from '../config/common.js'

export const toxicitySchema = z.strictObject({
  scorer: z.enum(['lexicon', 'moderation', 'llama-guard', 'classifier']).default('lexicon'),
  provider: name.optional().describe('Provider serving the moderation / Llama Guard model.'),
  url: httpUrl.optional().describe('Classifier endpoint URL.'),
  labels: z.record(z.string(), z.string()).optional().describe('Classifier label to category map.'),
  threshold: z.number().min(0).max(1).default(0.5),
})

export const safetySchema = z.strictObject({
  toxicity: toxicitySchema.optional(),
  pii: z.strictObject({ enabled: z.boolean().default(true) }).optional(),
  bias: z
    .array(
      z.strictObject({
        name,
        kind: z.enum(['counterfactual', 'bbq', 'representation']),
        suite: z.string().min(1).describe('Path of the bias suite file.'),
        provider: name.optional(),
      }),
    )
    .optional(),
})
export type SafetyConfig = z.infer<typeof safetySchema>
