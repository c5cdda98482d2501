import type { Logger } from '../core/logger.js'
import { getErrorMessage } from '../errors.js'
import type { FollowResult } from './job.js'
import type { MlflowClient } from './mlflow.js'

export type DeploymentState =
  'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'

/** The GitHub Deployments surface the deploy flow needs (implemented over src/github/deployments.ts). */
export interface DeploymentRecorder {
  create(input: {
    sha: string
    environment: string
    description: string
    payload: Record<string, unknown>
    requiredContexts: string[]
    production?: boolean
    transient?: boolean
  }): Promise<{ id: number }>
  status(
    id: number,
    state: DeploymentState,
    details: { description: string; logUrl?: string; environmentUrl?: string },
  ): Promise<void>
}

export interface DeployRequest {
  environment: string
  sha: string
  /** MLflow registered model, version and the alias to move (e.g. `champion` or the environment). */
  model?: string
  version?: string
  alias: string
  environmentUrl?: string
  logUrl?: string
  requiredContexts: string[]
  production?: boolean
  transient?: boolean
}

export interface DeployPorts {
  logger: Logger
  github?: DeploymentRecorder
  mlflow?: MlflowClient
  /** Runs the deployment job (workflow, webhook, Ray or Kubernetes) to its end. */
  runJob?: () => Promise<FollowResult>
  /** Smoke evaluation against the new endpoint. */
  smoke?: () => Promise<{ ok: boolean; detail: string }>
}

export interface DeployStep {
  name: string
  ok: boolean
  detail: string
}

export interface DeployOutcome {
  status: 'success' | 'failure' | 'error'
  deploymentId?: number
  previousVersion?: string
  rolledBack: boolean
  steps: DeployStep[]
}

const cut = (s: string) => (s.length <= 140 ? s : `${s.slice(0, 139)}…`)

/**
 * Deploys one exact commit: records a GitHub Deployment (queued → in_progress), waits for the MLflow
 * version to be READY, runs the deployment job, smoke-evaluates, then moves the alias and marks the
 * deployment successful. Any failure after the alias moved moves it back to the previous version
 * (rollback) and ends with a failure status. Every step, including a failed record, is listed in the
 * outcome, so nothing is half-recorded without saying so.
 */
export async function deploy(req: DeployRequest, ports: DeployPorts): Promise<DeployOutcome> {
  const steps: DeployStep[] = []
  const log = (name: string, ok: boolean, detail: string) => {
    steps.push({ name, ok, detail })
    ports.logger[ok ? 'info' : 'error'](`deploy ${req.environment}: ${name}: ${detail}`)
  }
  const outcome: DeployOutcome = { status: 'success', rolledBack: false, steps }
  const record = async (state: DeploymentState, description: string) => {
    if (!ports.github || outcome.deploymentId === undefined) return
    try {
      await ports.github.status(outcome.deploymentId, state, {
        description: cut(description),
        ...(req.logUrl ? { logUrl: req.logUrl } : {}),
        ...(state === 'success' && req.environmentUrl
          ? { environmentUrl: req.environmentUrl }
          : {}),
      })
      log(`deployment status ${state}`, true, description)
    } catch (error) {
      log(`deployment status ${state}`, false, `could not be recorded: ${getErrorMessage(error)}`)
    }
  }

  if (ports.github) {
    try {
      const { id } = await ports.github.create({
        sha: req.sha,
        environment: req.environment,
        description: cut(
          `llmops deploy ${req.sha.slice(0, 12)}${req.model ? ` (${req.model} v${req.version ?? '?'})` : ''}`,
        ),
        payload: {
          sha: req.sha,
          model: req.model ?? null,
          version: req.version ?? null,
          alias: req.alias,
        },
        requiredContexts: req.requiredContexts,
        ...(req.production !== undefined ? { production: req.production } : {}),
        ...(req.transient !== undefined ? { transient: req.transient } : {}),
      })
      outcome.deploymentId = id
      log('GitHub deployment', true, `created #${id} for ${req.sha}`)
    } catch (error) {
      log('GitHub deployment', false, getErrorMessage(error))
      return { ...outcome, status: 'error' }
    }
    await record('queued', 'queued')
    await record('in_progress', 'deploying')
  }

  const fail = async (
    status: 'failure' | 'error',
    why: string,
    aliasMoved: boolean,
  ): Promise<DeployOutcome> => {
    if (aliasMoved && ports.mlflow && req.model) {
      try {
        if (outcome.previousVersion)
          await ports.mlflow.setAlias(req.model, req.alias, outcome.previousVersion)
        else await ports.mlflow.deleteAlias(req.model, req.alias)
        outcome.rolledBack = true
        log(
          'rollback',
          true,
          outcome.previousVersion
            ? `alias ${req.alias} moved back to version ${outcome.previousVersion}`
            : `alias ${req.alias} removed (no previous version)`,
        )
      } catch (error) {
        log(
          'rollback',
          false,
          `alias ${req.alias} could NOT be moved back: ${getErrorMessage(error)}`,
        )
      }
    }
    await record(status, why)
    return { ...outcome, status }
  }

  let aliasMoved = false
  if (ports.mlflow && req.model && req.version) {
    try {
      const previous = (await ports.mlflow.getAlias(req.model, req.alias))?.version
      if (previous !== undefined) outcome.previousVersion = previous
      const mv = await ports.mlflow.waitReady(req.model, req.version)
      log(
        'MLflow version',
        true,
        `${req.model} v${mv.version} READY (alias ${req.alias} was ${outcome.previousVersion ?? 'unset'})`,
      )
    } catch (error) {
      log('MLflow version', false, getErrorMessage(error))
      return fail('error', `model version not ready: ${getErrorMessage(error)}`, false)
    }
  }

  if (ports.runJob) {
    try {
      const job = await ports.runJob()
      const ok = job.state.phase === 'succeeded'
      log(
        'deployment job',
        ok,
        `${job.id}: ${job.state.status}${job.timedOut ? ' (timed out)' : ''}${job.state.message ? ` ${job.state.message}` : ''}`,
      )
      if (!ok) return fail('failure', `deployment job ${job.state.status}`, false)
    } catch (error) {
      log('deployment job', false, getErrorMessage(error))
      return fail('error', `deployment job: ${getErrorMessage(error)}`, false)
    }
  }

  if (ports.mlflow && req.model && req.version) {
    try {
      await ports.mlflow.setAlias(req.model, req.alias, req.version)
      aliasMoved = true
      log('MLflow alias', true, `${req.alias} → version ${req.version}`)
    } catch (error) {
      log('MLflow alias', false, getErrorMessage(error))
      return fail('error', `alias not moved: ${getErrorMessage(error)}`, false)
    }
  }

  if (ports.smoke) {
    let smoke: { ok: boolean; detail: string }
    try {
      smoke = await ports.smoke()
    } catch (error) {
      smoke = { ok: false, detail: getErrorMessage(error) }
    }
    log('smoke evaluation', smoke.ok, smoke.detail)
    if (!smoke.ok) return fail('failure', `smoke evaluation failed: ${smoke.detail}`, aliasMoved)
  }

  if (ports.mlflow && req.model && req.version) {
    try {
      await ports.mlflow.setVersionTag(
        req.model,
        req.version,
        `deployed_${req.environment}`,
        req.sha,
      )
      if (outcome.deploymentId !== undefined) {
        await ports.mlflow.setVersionTag(
          req.model,
          req.version,
          `deployment_${req.environment}`,
          String(outcome.deploymentId),
        )
      }
      log('MLflow tags', true, `deployed_${req.environment}=${req.sha}`)
    } catch (error) {
      log('MLflow tags', false, `not recorded: ${getErrorMessage(error)}`)
    }
  }
  await record(
    'success',
    `deployed ${req.sha.slice(0, 12)}${req.version ? ` as ${req.model} v${req.version}` : ''}`,
  )
  return outcome
}
