import { z } from 'zod'
import { benchmarkSchema } from '../bench/config-schema.js'
import { commandsSchema } from '../chatops/config-schema.js'
import {
  deploySchema,
  jobTargetSchema,
  mlflowSchema,
  onMergeSchema,
} from '../dispatch/config-schema.js'
import { providerSchema, suiteSchema } from '../eval/config-schema.js'
import { gateOptionsSchema, gateRuleSchema } from '../gate/config-schema.js'
import { safetySchema } from '../safety/config-schema.js'
import { didYouMean } from '../core/did-you-mean.js'
import { name } from './common.js'

/** The whole `.github/llmops.yml`. Each section's schema lives in the folder of the capability that reads it. */
export const configSchema = z
  .strictObject({
    version: z.literal(1),
    providers: z.record(name, providerSchema).default({}),
    suites: z.array(suiteSchema).default([]),
    safety: safetySchema.optional(),
    benchmark: benchmarkSchema.optional(),
    gates: z.array(gateRuleSchema).default([]),
    gate: gateOptionsSchema.optional(),
    commands: commandsSchema.optional(),
    finetune: jobTargetSchema.optional(),
    deploy: deploySchema.optional(),
    mlflow: mlflowSchema.optional(),
    on_merge: onMergeSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>()
    config.suites.forEach((suite, i) => {
      const first = seen.get(suite.name)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['suites', i, 'name'],
          message: `duplicate suite name '${suite.name}' (first at suites[${first}])`,
        })
      } else seen.set(suite.name, i)
      if (!suite.dataset && !suite.cases) {
        ctx.addIssue({
          code: 'custom',
          path: ['suites', i],
          message: 'a suite needs `dataset` or `cases`',
        })
      }
      suite.providers?.forEach((p, j) => {
        if (p in config.providers) return
        const guess = didYouMean(p, Object.keys(config.providers))
        const known = Object.keys(config.providers).join(', ') || 'none defined'
        ctx.addIssue({
          code: 'custom',
          path: ['suites', i, 'providers', j],
          message: `unknown provider '${p}'.${guess ? ` Did you mean '${guess}'?` : ''} Defined providers: ${known}`,
        })
      })
    })
  })

export type Config = z.infer<typeof configSchema>
