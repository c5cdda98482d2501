import { didYouMean } from '../core/did-you-mean.js'
import {
  COMMAND_SPECS,
  isCommandName,
  type CommandCatalog,
  type CommandName,
  type CommandSpec,
} from './command-specs.js'
import type { CommandLine } from './grammar.js'

/** A command whose arguments passed its schema: only these values ever leave the handler. */
export interface ValidCommand {
  name: CommandName
  /** Validated named arguments (without `sha`). */
  args: Record<string, string>
  /** The positional argument (`/deploy <environment>`, `/help <command>`). */
  positional?: string
  /** The SHA the commenter named explicitly, if any. */
  sha?: string
}

export type Validation =
  | { ok: true; command: ValidCommand }
  | { ok: false; kind: 'unknown'; name: string; suggestion?: string }
  | { ok: false; kind: 'malformed'; spec: CommandSpec; problems: string[] }

function membership(catalog: CommandCatalog, args: Record<string, string>): string[] {
  const problems: string[] = []
  const lists: [string, string[]][] = [
    ['suite', catalog.suites],
    ['provider', catalog.providers],
    ['scenario', catalog.scenarios],
  ]
  for (const [key, allowed] of lists) {
    const value = args[key]
    if (value === undefined || allowed.length === 0 || allowed.includes(value)) continue
    const guess = didYouMean(value, allowed)
    problems.push(
      `${key} is not one of the configured ${key}s${guess ? ` (did you mean ${guess}?)` : ''}; allowed: ${allowed.join(', ')}`,
    )
  }
  return problems
}

/**
 * Checks a tokenized command line against its command's schema and the configured names. Problems
 * name the argument, never echo its value (the reply escapes what it shows).
 */
export function validateCommand(line: CommandLine, catalog: CommandCatalog): Validation {
  if (!isCommandName(line.name)) {
    const suggestion = didYouMean(line.name, Object.keys(COMMAND_SPECS))
    return { ok: false, kind: 'unknown', name: line.name, ...(suggestion ? { suggestion } : {}) }
  }
  const spec = COMMAND_SPECS[line.name]
  const problems: string[] = []
  if (line.error) problems.push(line.error)

  const [first, ...extra] = line.positionals
  if (spec.positional) {
    if (first === undefined && spec.positional.required)
      problems.push(`the ${spec.positional.name} is missing`)
    if (first !== undefined && !spec.positional.pattern.test(first)) {
      problems.push(`the ${spec.positional.name} is not a valid name`)
    }
    if (extra.length > 0) problems.push(`unexpected extra words after the ${spec.positional.name}`)
  } else if (line.positionals.length > 0) {
    problems.push('unexpected words; arguments are written key=value')
  }

  const parsed = spec.args.safeParse(line.args)
  if (!parsed.success) {
    const known = Object.keys(spec.args.shape)
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const guess = didYouMean(key, known)
          problems.push(
            `unknown argument ${key}${guess ? ` (did you mean ${guess}?)` : ''}${known.length ? `; allowed: ${known.join(', ')}` : ''}`,
          )
        }
      } else {
        problems.push(`${issue.path.join('.')} ${issue.message}`)
      }
    }
  }
  if (problems.length > 0) return { ok: false, kind: 'malformed', spec, problems }

  const { sha, ...args } = parsed.data as Record<string, string | undefined>
  const clean: Record<string, string> = {}
  for (const [key, value] of Object.entries(args)) if (value !== undefined) clean[key] = value
  const unknownNames = membership(catalog, clean)
  if (unknownNames.length > 0) return { ok: false, kind: 'malformed', spec, problems: unknownNames }

  return {
    ok: true,
    command: {
      name: spec.name,
      args: clean,
      ...(first !== undefined ? { positional: first } : {}),
      ...(sha !== undefined ? { sha } : {}),
    },
  }
}
