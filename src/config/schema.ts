import { z } from 'zod'
import { benchmarkSchema } from '../bench/config-schema.js'
import { commandsSchema } from '../chatops/config-schema.js'
import { deploySchema, jobTargetSchema, mlflowSchema, onMergeSchema } from '../dispatch/config-schema.js'
import { providerSchema, suiteSchema } from '../eval/config-schema.js'
import { gateOptionsSchema, gateRuleSchema } from '../gate/config-schema.js'
import { safetySchema } from '../safety/config-schema.js'
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
        ctx.addIssue({ code: 'custom', path: ['suites', i, 'name'], message: `duplicate suite name '${suite.name}' (first at suites[${first}])` })
      } else seen.set(suite.name, i)
      if (!suite.dataset && !suite.cases) {
        ctx.addIssue({ code: 'custom', path: ['suites', i], message: 'a suite needs `dataset` or `cases`' })
      }
      for (const p of suite.providers ?? []) {
        const j = suite.providers?.indexOf(p) ?? 0
        if (!(p in config.providers)) ctx.addIssue({ code: 'custom', path: ['suites', i, 'providers', j], message: `unknown provider '${p}'` })
      }
    })
  })

export type Config = z.infer<typeof configSchema>
