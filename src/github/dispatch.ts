import { UsageError } from '../errors.js'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { githubFailure, githubMessage, statusOf } from './errors.js'

/** workflow_dispatch accepts at most 25 inputs. */
export const WORKFLOW_INPUTS_LIMIT = 25
/** repository_dispatch accepts at most 10 top-level `client_payload` keys and under 64 KB. */
export const CLIENT_PAYLOAD_KEYS_LIMIT = 10
export const CLIENT_PAYLOAD_BYTES_LIMIT = 65_536

export interface DispatchedRun {
  runId?: number
  runUrl?: string
  htmlUrl?: string
}

/**
 * Dispatches a workflow (`workflow` is its file name or id) on a branch or tag `ref` (a SHA is not
 * accepted by GitHub: pass the pinned SHA as an input). Asks for the run details to link the run;
 * falls back to a plain dispatch where the server does not know `return_run_details`.
 */
export async function dispatchWorkflow(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  request: { workflow: string; ref: string; inputs: Record<string, string | number | boolean> },
): Promise<DispatchedRun> {
  const count = Object.keys(request.inputs).length
  if (count > WORKFLOW_INPUTS_LIMIT) {
    throw new UsageError(
      `workflow_dispatch takes at most ${WORKFLOW_INPUTS_LIMIT} inputs; ${count} were given.`,
    )
  }
  const base = { ...repo, workflow_id: request.workflow, ref: request.ref, inputs: request.inputs }
  try {
    const response = await client.rest.actions.createWorkflowDispatch({
      ...base,
      return_run_details: true,
    })
    const data = response.data as
      { workflow_run_id?: number; run_url?: string; html_url?: string } | undefined
    return {
      ...(typeof data?.workflow_run_id === 'number' ? { runId: data.workflow_run_id } : {}),
      ...(typeof data?.run_url === 'string' ? { runUrl: data.run_url } : {}),
      ...(typeof data?.html_url === 'string' ? { htmlUrl: data.html_url } : {}),
    }
  } catch (error) {
    if (statusOf(error) === 422 && /return_run_details/.test(githubMessage(error))) {
      try {
        await client.rest.actions.createWorkflowDispatch(base)
        return {}
      } catch (retryError) {
        throw githubFailure(`dispatching workflow ${request.workflow}`, retryError)
      }
    }
    throw githubFailure(`dispatching workflow ${request.workflow} on ${request.ref}`, error)
  }
}

/** Sends a `repository_dispatch` event, checking GitHub's payload limits first. */
export async function dispatchRepositoryEvent(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  request: { eventType: string; clientPayload: Record<string, unknown> },
): Promise<void> {
  if (request.eventType.length < 1 || request.eventType.length > 100) {
    throw new UsageError(
      `repository_dispatch event_type must be 1-100 characters; got ${request.eventType.length}.`,
    )
  }
  const keys = Object.keys(request.clientPayload).length
  if (keys > CLIENT_PAYLOAD_KEYS_LIMIT) {
    throw new UsageError(
      `repository_dispatch client_payload takes at most ${CLIENT_PAYLOAD_KEYS_LIMIT} top-level keys; ${keys} were given.`,
    )
  }
  const bytes = Buffer.byteLength(JSON.stringify(request.clientPayload))
  if (bytes >= CLIENT_PAYLOAD_BYTES_LIMIT)
    throw new UsageError(
      `repository_dispatch client_payload must be under 64 KB; it is ${bytes} bytes.`,
    )
  try {
    await client.rest.repos.createDispatchEvent({
      ...repo,
      event_type: request.eventType,
      client_payload: request.clientPayload,
    })
  } catch (error) {
    throw githubFailure(`sending repository_dispatch ${request.eventType}`, error)
  }
}
