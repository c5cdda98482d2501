import type { Logger } from '../core/logger.js'

/** What every command receives: its arguments and the process surroundings, passed in so tests need no process. */
export interface CommandContext {
  /** Arguments after the command name. In the action they are built from the sub-action's inputs. */
  argv: string[]
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  stdout: NodeJS.WritableStream
  /** Standard input (commands that read it fall back to process.stdin when absent). */
  stdin?: NodeJS.ReadableStream
  logger: Logger
  /** Aborted on SIGINT/SIGTERM; long-running commands stop cleanly and write what they have. */
  signal: AbortSignal
  /** True when running as a GitHub Action step rather than the CLI. */
  inAction: boolean
}

/** What a command returns: its exit code, outputs for the action, and an optional job-summary Markdown. */
export interface CommandResult {
  exitCode: number
  outputs?: Record<string, string>
  summary?: string
  /** Saved between the action's main and post steps (e.g. the pid of a server to stop). */
  state?: Record<string, string>
}

/** One CLI command (and the sub-action that maps onto it). */
export interface Command {
  name: string
  summary: string
  usage: string
  run(ctx: CommandContext): Promise<CommandResult>
  /** Runs in the action's post step with the state the main step returned (only sub-actions with `post`). */
  post?(ctx: CommandContext, state: Record<string, string>): Promise<void>
}
