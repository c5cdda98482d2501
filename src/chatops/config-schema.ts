import { z } from 'zod'

/** Repository roles from weakest to strongest; `none` means no access at all. */
export const permissionSchema = z.enum(['read', 'triage', 'write', 'maintain', 'admin'])
export type Permission = z.infer<typeof permissionSchema>

/** A workflow file name in `.github/workflows` (or its numeric id), as `workflow_dispatch` takes it. */
const workflowFile = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.ya?ml|\d{1,20})$/,
    'must be a workflow file name such as eval.yml, or a workflow id',
  )

/** A branch or tag name (a SHA is not accepted by workflow_dispatch as `ref`). */
const refName = z
  .string()
  .regex(/^(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/, 'must be a branch or tag name')

export const commandRuleSchema = z.strictObject({
  min_permission: permissionSchema
    .optional()
    .describe(
      'Weakest repository role allowed to run the command (default: write; maintain for deploy).',
    ),
  environments: z
    .array(z.string().regex(/^[a-z0-9-]{1,40}$/))
    .optional()
    .describe('deploy only: environments /deploy may target. Nothing else is accepted.'),
  workflow: workflowFile
    .optional()
    .describe(
      'Workflow file to start with workflow_dispatch; without it a repository_dispatch `llmops-<command>` is sent.',
    ),
  ref: refName
    .optional()
    .describe('Branch the dispatched workflow runs from (default: the default branch).'),
})
export type CommandRule = z.infer<typeof commandRuleSchema>

/** `commands:` in `.github/llmops.yml`: who may run each comment command, and where it is dispatched. */
export const commandsSchema = z.strictObject({
  eval: commandRuleSchema.optional(),
  benchmark: commandRuleSchema.optional(),
  deploy: commandRuleSchema.optional(),
  finetune: commandRuleSchema.optional(),
})
export type CommandsConfig = z.infer<typeof commandsSchema>
