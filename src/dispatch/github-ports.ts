import type { Logger } from '../core/logger.js'
import { InfrastructureError } from '../errors.js'
import { createGitHubClient, type GitHubClient } from '../github/client.js'
import { readRunContext } from '../github/context.js'
import { createDeployment, setDeploymentStatus } from '../github/deployments.js'
import { dispatchWorkflow } from '../github/dispatch.js'
import { cancelWorkflowRun, getWorkflowRun } from '../github/workflow-runs.js'
import type { DeploymentRecorder } from './deploy.js'
import type { WorkflowPort } from './workflow.js'

/**
 * The GitHub Deployments recorder over src/github/deployments.ts. A 202 (GitHub merged the default
 * branch instead of deploying) or a 409 (merge conflict or failing required contexts) is an error
 * that names the reason, never a silent success.
 */
export function githubDeploymentRecorder(
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
  client: GitHubClient = createGitHubClient(env, logger),
): DeploymentRecorder {
  const { repo } = readRunContext(env)
  return {
    async create(input) {
      const outcome = await createDeployment(client, repo, {
        sha: input.sha,
        environment: input.environment,
        requiredContexts: input.requiredContexts,
        payload: input.payload,
        description: input.description,
        ...(input.production !== undefined ? { production: input.production } : {}),
        ...(input.transient !== undefined ? { transient: input.transient } : {}),
      })
      if (outcome.kind === 'created') return { id: outcome.id }
      if (outcome.kind === 'auto-merged')
        throw new InfrastructureError(
          `GitHub did not create the deployment (202): ${outcome.message}`,
        )
      const failing = outcome.failingContexts.map((c) => `${c.context}=${c.state}`).join(', ')
      throw new InfrastructureError(
        `GitHub refused the deployment (409): ${outcome.message}${failing ? ` (${failing})` : ''}`,
      )
    },
    async status(id, state, details) {
      await setDeploymentStatus(client, repo, id, {
        state,
        description: details.description,
        ...(details.logUrl ? { logUrl: details.logUrl } : {}),
        ...(details.environmentUrl ? { environmentUrl: details.environmentUrl } : {}),
      })
    },
  }
}

/** The workflow target's GitHub surface: dispatch, read and cancel runs. */
export function githubWorkflowPort(
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
  client: GitHubClient = createGitHubClient(env, logger),
): WorkflowPort {
  const { repo } = readRunContext(env)
  return {
    async dispatch(request) {
      const run = await dispatchWorkflow(client, repo, request)
      return {
        ...(run.runId !== undefined ? { runId: run.runId } : {}),
        ...(run.htmlUrl ? { htmlUrl: run.htmlUrl } : {}),
      }
    },
    getRun: (runId) => getWorkflowRun(client, repo, runId),
    cancelRun: (runId) => cancelWorkflowRun(client, repo, runId),
  }
}
