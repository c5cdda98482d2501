import { z } from 'zod'

export const permissionSchema = z.enum(['read', 'triage', 'write', 'maintain', 'admin'])

export const commandRuleSchema = z.strictObject({
  min_permission: permissionSchema.optional(),
  environments: z.array(z.string().regex(/^[a-z0-9-]{1,40}$/)).optional(),
  workflow: z.string().optional().describe('Workflow file to dispatch with workflow_dispatch; repository_dispatch otherwise.'),
  ref: z.string().optional().describe('Branch the dispatched workflow runs from (default: the default branch).'),
})

export const commandsSchema = z.strictObject({
  eval: commandRuleSchema.optional(),
  benchmark: commandRuleSchema.optional(),
  deploy: commandRuleSchema.optional(),
  finetune: commandRuleSchema.optional(),
})
export type CommandsConfig = z.infer<typeof commandsSchema>
