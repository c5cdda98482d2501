import { InfrastructureError } from '../errors.js'

/** The HTTP status of an Octokit RequestError (or anything with a numeric `status`), else undefined. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status = error.status
    if (typeof status === 'number') return status
  }
  return undefined
}

/** GitHub's own message from an error response (`{"message": ...}`), else the error's message. */
export function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } } | null)?.response?.data
  if (data && typeof data.message === 'string') return data.message
  return error instanceof Error ? error.message : String(error)
}

/** Wraps a failed GitHub call as an InfrastructureError (exit 3) that says what was attempted. */
export function githubFailure(what: string, error: unknown): InfrastructureError {
  const status = statusOf(error)
  return new InfrastructureError(
    `GitHub API: ${what} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${githubMessage(error)}`,
    { cause: error },
  )
}
