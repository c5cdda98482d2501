/** Exit codes of the CLI and the action (DESIGN.md contract). */
export const ExitCode = {
  ok: 0,
  gateFail: 1,
  usage: 2,
  infrastructure: 3,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Base class for every error that carries its own exit code and a message meant for the user. */
export abstract class LlmopsError extends Error {
  abstract readonly exitCode: ExitCode
}

/** A mistake in the user's configuration: the message says where and how to fix it. Exit 2. */
export class ConfigurationError extends LlmopsError {
  readonly exitCode = ExitCode.usage
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message)
    this.name = 'ConfigurationError'
  }
}

/** Bad command-line usage or a command that is not available. Exit 2. */
export class UsageError extends LlmopsError {
  readonly exitCode = ExitCode.usage
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A server, the GitHub API or another dependency failed after retries. Exit 3. */
export class InfrastructureError extends LlmopsError {
  readonly exitCode = ExitCode.infrastructure
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'InfrastructureError'
  }
}

/** The message of anything thrown, including non-Error values. */
export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error) ?? String(error)
  } catch {
    return String(error)
  }
}

/** The exit code for anything thrown: our own errors carry one, everything else is a bug (3). */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof LlmopsError ? error.exitCode : ExitCode.infrastructure
}
