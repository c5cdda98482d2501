import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { githubFailure, statusOf } from './errors.js'

/** What the dispatch follower needs of a workflow run. */
export interface WorkflowRunState {
  id: number
  status: string
  conclusion: string | null
  htmlUrl: string
}

/** Reads one workflow run (`GET /repos/{o}/{r}/actions/runs/{id}`). */
export async function getWorkflowRun(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  runId: number,
): Promise<WorkflowRunState> {
  try {
    const { data } = await client.rest.actions.getWorkflowRun({ ...repo, run_id: runId })
    return {
      id: data.id,
      status: data.status ?? 'unknown',
      conclusion: data.conclusion ?? null,
      htmlUrl: data.html_url,
    }
  } catch (error) {
    throw githubFailure(`reading workflow run ${runId}`, error)
  }
}

/** Cancels a workflow run; a run that already completed (409) is left as it is. */
export async function cancelWorkflowRun(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  runId: number,
): Promise<void> {
  try {
    await client.rest.actions.cancelWorkflowRun({ ...repo, run_id: runId })
  } catch (error) {
    if (statusOf(error) === 409) return
    throw githubFailure(`cancelling workflow run ${runId}`, error)
  }
}
