import { z } from 'zod'
import type { CommandRule, CommandsConfig, Permission } from './config-schema.js'

/** The names a command's arguments may refer to, taken from the configuration (empty when there is none). */
export interface CommandCatalog {
  commands: CommandsConfig
  suites: string[]
  providers: string[]
  scenarios: string[]
  /** Environments `/deploy` may target (the allowlist); empty means none. */
  environments: string[]
}

/** The catalog when there is no configuration file at all. */
export const EMPTY_CATALOG: CommandCatalog = {
  commands: {},
  suites: [],
  providers: [],
  scenarios: [],
  environments: [],
}

export const SHA = /^[0-9a-f]{40}$/
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const ENVIRONMENT = /^[a-z0-9-]{1,40}$/
const CONFIG_PATH = /^(?!.*(?:^|\/)\.\.(?:\/|$))(?!.*\/\/)[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$/

const sha = z.string().regex(SHA, 'must be the full 40-character lower-case commit SHA')
const nameArg = z
  .string()
  .regex(NAME, 'must be 1-64 letters, digits, _ . or - (starting with a letter or digit)')

/** Names of the commands that dispatch work (everything but /help). */
export const WORK_COMMANDS = ['eval', 'benchmark', 'deploy', 'finetune'] as const
export type WorkCommand = (typeof WORK_COMMANDS)[number]
export type CommandName = WorkCommand | 'help'

/** One comment command: its arguments, how it is written, and who may run it by default. */
export interface CommandSpec {
  name: CommandName
  summary: string
  usage: string
  /** The positional argument, when the command takes one (`/deploy <environment>`). */
  positional?: { name: string; pattern: RegExp; required: boolean }
  args: z.ZodObject
  defaultPermission: Permission | 'anyone'
}

export const COMMAND_SPECS: Record<CommandName, CommandSpec> = {
  eval: {
    name: 'eval',
    summary: 'run the evaluation suites on the pull request head',
    usage: '/eval [suite=<name>] [provider=<name>] [sha=<40-hex>]',
    args: z.strictObject({
      suite: nameArg.optional(),
      provider: nameArg.optional(),
      sha: sha.optional(),
    }),
    defaultPermission: 'write',
  },
  benchmark: {
    name: 'benchmark',
    summary: 'run the latency benchmark on the pull request head',
    usage: '/benchmark [scenario=<name>] [sha=<40-hex>]',
    args: z.strictObject({ scenario: nameArg.optional(), sha: sha.optional() }),
    defaultPermission: 'write',
  },
  deploy: {
    name: 'deploy',
    summary: 'deploy the pull request head to an environment',
    usage: '/deploy <environment> [sha=<40-hex>]',
    positional: { name: 'environment', pattern: ENVIRONMENT, required: true },
    args: z.strictObject({ sha: sha.optional() }),
    defaultPermission: 'maintain',
  },
  finetune: {
    name: 'finetune',
    summary: 'start the fine-tune job on the pull request head',
    usage: '/finetune [config=<path>] [sha=<40-hex>]',
    args: z.strictObject({
      config: z
        .string()
        .regex(
          CONFIG_PATH,
          'must be a relative path inside the repository (letters, digits, . _ - /)',
        )
        .optional(),
      sha: sha.optional(),
    }),
    defaultPermission: 'write',
  },
  help: {
    name: 'help',
    summary: 'list the commands, their arguments and who may run them',
    usage: '/help [command]',
    positional: { name: 'command', pattern: /^[a-z]{1,20}$/, required: false },
    args: z.strictObject({}),
    defaultPermission: 'anyone',
  },
}

/** Whether a name is one of our commands. */
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_SPECS, name)
}

/** The rule for a work command from the configuration (empty when not configured). */
export function ruleFor(catalog: CommandCatalog, name: WorkCommand): CommandRule {
  return catalog.commands[name] ?? {}
}

/** The weakest role allowed to run a command: the configured one, else the command's default. */
export function requiredPermission(
  catalog: CommandCatalog,
  name: CommandName,
): Permission | 'anyone' {
  if (name === 'help') return 'anyone'
  return ruleFor(catalog, name).min_permission ?? COMMAND_SPECS[name].defaultPermission
}
