import { InfrastructureError } from '../errors.js'
import type { JobDriver, JobState } from './job.js'

/** The GitHub surface a workflow target needs (implemented over src/github/dispatch.ts and workflow-runs.ts). */
export interface WorkflowPort {
  dispatch(request: {
    workflow: string
    ref: string
    inputs: Record<string, string>
  }): Promise<{ runId?: number; htmlUrl?: string }>
  getRun(runId: number): Promise<{ status: string; conclusion: string | null; htmlUrl: string }>
  cancelRun(runId: number): Promise<void>
}

/** Maps a run's status and conclusion onto our job phases. */
export function workflowRunState(run: { status: string; conclusion: string | null }): JobState {
  if (run.status !== 'completed') {
    return {
      phase: run.status === 'in_progress' ? 'running' : 'pending',
      status: run.status.toUpperCase(),
    }
  }
  const conclusion = run.conclusion ?? 'unknown'
  const phase =
    conclusion === 'success' ? 'succeeded' : conclusion === 'cancelled' ? 'stopped' : 'failed'
  return { phase, status: conclusion.toUpperCase() }
}

/**
 * A JobDriver that runs a workflow on a self-hosted GPU runner through `workflow_dispatch` and
 * follows the run through the Actions runs API. The pinned SHA travels as the `sha` input (GitHub
 * does not accept a SHA as the dispatch ref); the workflow checks it out and verifies it.
 */
export function workflowDriver(
  port: WorkflowPort,
  request: { workflow: string; ref: string; inputs: Record<string, string> },
): JobDriver {
  const urls = new Map<string, string>()
  return {
    target: 'workflow',
    async submit() {
      const run = await port.dispatch(request)
      if (run.runId === undefined) {
        throw new InfrastructureError(
          `GitHub dispatched ${request.workflow} but returned no run id (return_run_details), so the run cannot be followed`,
        )
      }
      if (run.htmlUrl) urls.set(String(run.runId), run.htmlUrl)
      return { id: String(run.runId), resumed: false, ...(run.htmlUrl ? { url: run.htmlUrl } : {}) }
    },
    async status(id) {
      const run = await port.getRun(Number(id))
      urls.set(id, run.htmlUrl)
      return { ...workflowRunState(run), message: run.htmlUrl }
    },
    // Run logs are a zip archive behind a redirect; the run page linked in the status is the log.
    logs: () => Promise.resolve(''),
    cancel: (id) => port.cancelRun(Number(id)),
  }
}
