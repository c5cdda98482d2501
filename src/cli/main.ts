import type { Command, CommandContext } from './command.js'
import { commands, findCommand } from './registry.js'
import { didYouMean } from '../core/did-you-mean.js'
import { streamLogger } from '../core/logger.js'
import { ConfigurationError, ExitCode, exitCodeOf, getErrorMessage } from '../errors.js'
import { VERSION } from '../version.js'

/** The process surroundings the CLI runs in; injected so tests can run it in-process. */
export interface CliDeps {
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  signal: AbortSignal
}

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return [
    `llmops ${VERSION}: LLMOps gates, reports and dispatch for pull requests`,
    '',
    'usage: llmops <command> [options]',
    '       llmops <command> --help',
    '',
    'commands:',
    ...lines,
    '',
    'exit codes: 0 success or gate pass, 1 gate fail, 2 bad usage or configuration, 3 infrastructure failure',
  ].join('\n')
}

function commandHelp(command: Command): string {
  return `llmops ${command.name}: ${command.summary}\n\nusage: ${command.usage}`
}

/** Runs the CLI and returns the exit code; never calls process.exit. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const [first, ...rest] = argv
  const out = (text: string) => deps.stdout.write(`${text}\n`)
  const logger = streamLogger(deps.stderr, { debug: deps.env.LLMOPS_DEBUG === '1' })

  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const target = first === 'help' && rest[0] !== undefined ? findCommand(rest[0]) : undefined
    out(target ? commandHelp(target) : helpText())
    return first === undefined ? ExitCode.usage : ExitCode.ok
  }
  if (first === '--version' || first === '-V') {
    out(VERSION)
    return ExitCode.ok
  }
  const command = findCommand(first)
  if (!command) {
    const guess = didYouMean(
      first,
      commands.map((c) => c.name),
    )
    logger.error(
      `unknown command '${first}'.${guess ? ` Did you mean '${guess}'?` : ''} Run 'llmops --help' for the list.`,
    )
    return ExitCode.usage
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(commandHelp(command))
    return ExitCode.ok
  }
  const ctx: CommandContext = {
    argv: rest,
    env: deps.env,
    cwd: deps.cwd,
    stdout: deps.stdout,
    logger,
    signal: deps.signal,
    inAction: false,
  }
  try {
    const result = await command.run(ctx)
    return result.exitCode
  } catch (error) {
    if (error instanceof ConfigurationError && error.problems.length > 1) {
      logger.error(`${error.problems.length} problems in the configuration:`)
      for (const problem of error.problems) deps.stderr.write(`  ${problem}\n`)
    } else {
      logger.error(getErrorMessage(error))
    }
    if (deps.env.LLMOPS_DEBUG === '1' && error instanceof Error && error.stack)
      logger.debug(error.stack)
    return exitCodeOf(error)
  }
}
