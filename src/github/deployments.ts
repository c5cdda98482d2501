import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { githubFailure, githubMessage, statusOf } from './errors.js'

/** Deployment status descriptions are limited to 140 characters. */
export const DEPLOYMENT_DESCRIPTION_LIMIT = 140

export interface DeploymentRequest {
  /** The 40-hex commit to deploy; never a branch name (it could move). */
  sha: string
  environment: string
  /** Contexts that must be `success` on the SHA; `[]` deploys regardless. Always explicit. */
  requiredContexts: string[]
  task?: string
  payload?: Record<string, unknown>
  description?: string
  transient?: boolean
  production?: boolean
}

export type DeploymentOutcome =
  | { kind: 'created'; id: number; sha: string }
  /** 202: GitHub merged the default branch into the ref instead of deploying. */
  | { kind: 'auto-merged'; message: string }
  /** 409: merge conflict or required contexts not successful. */
  | { kind: 'conflict'; message: string; failingContexts: { context: string; state: string }[] }

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'

/** Creates a deployment of an exact SHA (`auto_merge: false`), handling 201, 202 and 409 explicitly. */
export async function createDeployment(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  request: DeploymentRequest,
): Promise<DeploymentOutcome> {
  if (!/^[0-9a-f]{40}$/.test(request.sha))
    throw new Error(`deployments need a 40-hex SHA, got '${request.sha}'`)
  try {
    const response = await client.rest.repos.createDeployment({
      ...repo,
      ref: request.sha,
      environment: request.environment,
      auto_merge: false,
      required_contexts: request.requiredContexts,
      task: request.task ?? 'deploy',
      payload: request.payload ?? {},
      ...(request.description
        ? { description: request.description.slice(0, DEPLOYMENT_DESCRIPTION_LIMIT) }
        : {}),
      ...(request.transient !== undefined ? { transient_environment: request.transient } : {}),
      ...(request.production !== undefined ? { production_environment: request.production } : {}),
    })
    const data = response.data as { id?: number; sha?: string; message?: string }
    if ((response.status as number) === 202 || typeof data.id !== 'number') {
      return {
        kind: 'auto-merged',
        message: data.message ?? 'GitHub merged the default branch instead of deploying.',
      }
    }
    return { kind: 'created', id: data.id, sha: data.sha ?? request.sha }
  } catch (error) {
    if (statusOf(error) === 409) {
      const errors = (
        error as {
          response?: { data?: { errors?: { contexts?: { context: string; state: string }[] }[] } }
        }
      ).response?.data?.errors
      return {
        kind: 'conflict',
        message: githubMessage(error),
        failingContexts: errors?.flatMap((e) => e.contexts ?? []) ?? [],
      }
    }
    throw githubFailure(
      `creating a deployment of ${request.sha.slice(0, 12)} to ${request.environment}`,
      error,
    )
  }
}

/** Adds a deployment status; the description is cut to 140 characters, `log_url` links the run. */
export async function setDeploymentStatus(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  deploymentId: number,
  status: {
    state: DeploymentState
    description?: string
    logUrl?: string
    environmentUrl?: string
    environment?: string
    autoInactive?: boolean
  },
): Promise<void> {
  const description = status.description ?? ''
  try {
    await client.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: deploymentId,
      state: status.state,
      description:
        description.length > DEPLOYMENT_DESCRIPTION_LIMIT
          ? `${description.slice(0, DEPLOYMENT_DESCRIPTION_LIMIT - 1)}…`
          : description,
      ...(status.logUrl ? { log_url: status.logUrl } : {}),
      ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
      ...(status.environment ? { environment: status.environment } : {}),
      ...(status.autoInactive !== undefined ? { auto_inactive: status.autoInactive } : {}),
    })
  } catch (error) {
    throw githubFailure(`setting deployment ${deploymentId} to ${status.state}`, error)
  }
}
