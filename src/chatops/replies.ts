import {
  COMMAND_SPECS,
  requiredPermission,
  type CommandCatalog,
  type CommandName,
  type CommandSpec,
} from './command-specs.js'
import { codeSpan, escapeUserText as esc } from './escape.js'
import type { ValidCommand } from './validate.js'

// Every reply starts with text, never with `/`, so no reply can be read as a command; user text is
// passed through `esc` wherever it appears.

function code(text: string): string {
  return `\`${text}\``
}

function roleText(role: string): string {
  return role === 'anyone' ? 'anyone' : `${role} or higher`
}

function list(values: string[]): string {
  return values.length ? values.map((v) => code(v)).join(', ') : '_none configured_'
}

/** Describes a validated command for a reply (its values are validated, and escaped all the same). */
export function describeCommand(command: ValidCommand): string {
  const parts = [`/${command.name}`]
  if (command.positional !== undefined) parts.push(command.positional)
  for (const [key, value] of Object.entries(command.args)) parts.push(`${key}=${value}`)
  if (command.sha !== undefined) parts.push(`sha=${command.sha}`)
  return codeSpan(parts.join(' '), 200)
}

function usageBlock(spec: CommandSpec, catalog: CommandCatalog): string {
  return `Usage: ${code(spec.usage)} (${roleText(requiredPermission(catalog, spec.name))}).`
}

/** The `/help` reply: commands, their arguments, who may run them, and the configured names. */
export function helpReply(catalog: CommandCatalog, topic?: string): string {
  const names = Object.keys(COMMAND_SPECS) as CommandName[]
  const shown =
    topic !== undefined && names.includes(topic as CommandName) ? [topic as CommandName] : names
  const rows = shown.map((name) => {
    const spec = COMMAND_SPECS[name]
    return `| ${code(spec.usage)} | ${spec.summary} | ${roleText(requiredPermission(catalog, name))} |`
  })
  return [
    '**llmops comment commands**',
    '',
    '| command | does | who may run it |',
    '|---|---|---|',
    ...rows,
    '',
    `Suites: ${list(catalog.suites)} · providers: ${list(catalog.providers)} · benchmark scenarios: ${list(catalog.scenarios)} · deploy environments: ${list(catalog.environments)}`,
    '',
    'Write one command per comment, at the start of a line. Work always runs on the pull request head you saw: ' +
      'on a pull request from a fork, add `sha=<the 40-character head SHA>`.',
  ].join('\n')
}

export function unknownCommandReply(
  name: string,
  catalog: CommandCatalog,
  suggestion?: string,
): string {
  const all = (Object.keys(COMMAND_SPECS) as CommandName[]).map((n) => code(`/${n}`)).join(', ')
  return [
    `${codeSpan(`/${name}`, 40)} is not a command I know.${suggestion ? ` Did you mean ${code(`/${suggestion}`)}?` : ''}`,
    '',
    `Commands: ${all}. Comment ${code('/help')} for their arguments.`,
    ...(suggestion ? ['', usageBlock(COMMAND_SPECS[suggestion as CommandName], catalog)] : []),
  ].join('\n')
}

export function malformedReply(
  spec: CommandSpec,
  problems: string[],
  catalog: CommandCatalog,
): string {
  return [
    `Could not run ${code(`/${spec.name}`)}:`,
    '',
    ...problems.map((p) => `- ${esc(p, 300)}`),
    '',
    usageBlock(spec, catalog),
  ].join('\n')
}

export function multipleCommandsReply(found: { name: string; line: number }[]): string {
  const items = found.map((f) => `${codeSpan(`/${f.name}`, 40)} (line ${f.line})`).join(', ')
  return [
    `This comment holds ${found.length} commands: ${items}.`,
    '',
    'Only one command per comment is accepted, so none of them was run. Post each command in its own comment.',
  ].join('\n')
}

export function rejectedReply(
  command: ValidCommand,
  actor: string,
  reason: string,
  headSha?: string,
): string {
  return [
    `${describeCommand(command)} from ${esc(actor, 40)} was not run: ${esc(reason, 400)}.`,
    ...(headSha ? ['', `Current head of the pull request: ${codeSpan(headSha, 40)}.`] : []),
  ].join('\n')
}

export function environmentReply(command: ValidCommand, allowed: string[]): string {
  return [
    `${describeCommand(command)} was not run: ${codeSpan(command.positional ?? '', 40)} is not an environment this repository allows.`,
    '',
    `Allowed environments: ${list(allowed)} (\`commands.deploy.environments\` in the llmops configuration).`,
  ].join('\n')
}

export function dispatchedReply(
  command: ValidCommand,
  details: { actor: string; sha: string; runUrl: string; runIsExact: boolean; via: string },
): string {
  return [
    `Started ${describeCommand(command)} for ${esc(details.actor, 40)} on ${code(details.sha)}.`,
    '',
    `${details.runIsExact ? 'Run' : 'Runs'}: ${details.runUrl}${details.runIsExact ? '' : ' (the dispatched run appears there)'} · dispatched with ${details.via}.`,
  ].join('\n')
}

export function dispatchFailedReply(command: ValidCommand, reason: string): string {
  return `${describeCommand(command)} could not be started: ${esc(reason, 400)}.`
}
