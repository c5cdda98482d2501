import type { Logger } from '../core/logger.js'
import { getErrorMessage } from '../errors.js'
import { deploymentPayload, type DeployEvidence, type DeployLinks } from './deploy-evidence.js'
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
  /** The environment's deployments page, linked from the comment. */
  deploymentUrl?: string
  /** The merged pull request, recorded in the payload. */
  pullRequest?: number
  requiredContexts: string[]
  production?: boolean
  transient?: boolean
}

export interface DeployPorts {
  logger: Logger
  github?: DeploymentRecorder
  mlflow?: MlflowClient
  /** Runs the deployment job (workflow, webhook, Ray or Kubernetes) to its end. */
  runJob?: () => Promise<FollowResult & { url?: string; resumed?: boolean }>
  /** Smoke evaluation against the new endpoint (`runUrl`: its MLflow run, when logged). */
  smoke?: () => Promise<{ ok: boolean; detail: string; runUrl?: string }>
  /** The eval and benchmark runs behind this deploy (read before the Deployment is created). */
  evidence?: () => Promise<DeployEvidence>
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
  /** Deployment, job, model version and MLflow links for the comment and the summary. */
  links: DeployLinks
}

const cut = (s: string) => (s.length <= 140 ? s : `${s.slice(0, 139)}…`)

/** `eval FINISHED, bench FAILED` (or why there is none), for status descriptions. */
function evidenceWords(e: DeployEvidence | undefined): string {
  if (!e) return ''
  if (e.error) return `; eval evidence unreadable`
  if (e.runs.length === 0) return `; no eval run for ${e.source}`
  return `; ${e.source}: ${e.runs.map((r) => `${r.kind} ${r.status}`).join(', ')}`
}

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
  const links: DeployLinks = {
    ...(req.logUrl ? { runUrl: req.logUrl } : {}),
    ...(req.deploymentUrl ? { deploymentUrl: req.deploymentUrl } : {}),
    ...(ports.mlflow && req.model && req.version
      ? { modelVersionUrl: ports.mlflow.modelVersionUrl(req.model, req.version) }
      : {}),
  }
  const outcome: DeployOutcome = { status: 'success', rolledBack: false, steps, links }
  const record = async (state: DeploymentState, description: string) => {
    if (!ports.github || outcome.deploymentId === undefined) return
    const logUrl = req.logUrl ?? links.jobUrl
    try {
      await ports.github.status(outcome.deploymentId, state, {
        description: cut(description),
        ...(logUrl ? { logUrl } : {}),
        ...(req.environmentUrl ? { environmentUrl: req.environmentUrl } : {}),
      })
      log(`deployment status ${state}`, true, description)
    } catch (error) {
      log(`deployment status ${state}`, false, `could not be recorded: ${getErrorMessage(error)}`)
    }
  }

  if (ports.evidence) {
    const evidence = await ports.evidence()
    links.evidence = evidence
    log(
      'eval evidence',
      !evidence.error,
      evidence.error
        ? `MLflow runs for ${evidence.source} could not be read: ${evidence.error}`
        : evidence.runs.length
          ? `${evidence.source}: ${evidence.runs.map((r) => `${r.kind} run ${r.runId} ${r.status}`).join(', ')}`
          : `no eval or benchmark run logged for ${evidence.source}`,
    )
  }

  if (ports.github) {
    try {
      const { id } = await ports.github.create({
        sha: req.sha,
        environment: req.environment,
        description: cut(
          `llmops deploy ${req.sha.slice(0, 12)}${req.model ? ` (${req.model} v${req.version ?? '?'})` : ''}`,
        ),
        payload: deploymentPayload(req, { ...links, pullRequest: req.pullRequest }),
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
    await record(
      'queued',
      `queued${req.model ? `: ${req.model} v${req.version ?? '?'} → ${req.alias}` : ''}${evidenceWords(links.evidence)}`,
    )
    await record('in_progress', `deploying ${req.sha.slice(0, 12)}`)
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
    const rollback = outcome.steps.find((s) => s.name === 'rollback')
    await record(
      status,
      `${why}${rollback ? (rollback.ok ? `; rolled back ${req.alias} to ${outcome.previousVersion ? `v${outcome.previousVersion}` : 'unset'}` : `; ${req.alias} NOT rolled back`) : ''}`,
    )
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
      links.jobId = job.id
      if (job.url) links.jobUrl = job.url
      const ok = job.state.phase === 'succeeded'
      log(
        'deployment job',
        ok,
        `${job.id}${job.resumed ? ' (already submitted: followed the existing job)' : ''}: ${job.state.status}${job.timedOut ? ' (timed out, stopped)' : ''}${job.cancelled ? ' (cancelled)' : ''}${job.state.message ? ` ${job.state.message}` : ''}`,
      )
      if (!ok)
        return fail(
          'failure',
          `deployment job ${job.timedOut ? 'timed out' : job.cancelled ? 'cancelled' : job.state.status}: ${job.id}`,
          false,
        )
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
    let smoke: { ok: boolean; detail: string; runUrl?: string }
    try {
      smoke = await ports.smoke()
    } catch (error) {
      smoke = { ok: false, detail: getErrorMessage(error) }
    }
    if (smoke.runUrl) links.smokeRunUrl = smoke.runUrl
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
  const smoked = steps.find((s) => s.name === 'smoke evaluation')
  await record(
    'success',
    `deployed ${req.sha.slice(0, 12)}${req.version ? ` as ${req.model} v${req.version} (${req.alias})` : ''}${smoked ? `; smoke: ${smoked.detail}` : ''}`,
  )
  return outcome
}
