import type { Logger } from '../core/logger.js'
import { UsageError } from '../errors.js'
import type { KeyValue, MlflowClient } from './mlflow.js'

/**
 * Registering the fine-tuned model: before submission an MLflow run is opened for the job and its id
 * handed to the job as `MLFLOW_RUN_ID` (with `MLFLOW_TRACKING_URI` and `MLFLOW_EXPERIMENT_ID`), so the
 * training script's `mlflow.start_run()` resumes that run and logs the model into it; after SUCCEEDED
 * the version is created from `source` (default `{artifact_uri}/model`: the `model` folder of that
 * run's artifacts, which is what `runs:/<id>/model` resolves to) and polled until READY.
 */

/** What to register: the registered model's name and the version's source URI template. */
export interface RegisterSpec {
  model: string
  /** `{run_id}`, `{artifact_uri}`, `{sha}`, `{short_sha}` and `{job_id}` are filled in. */
  source: string
}

export const DEFAULT_SOURCE = '{artifact_uri}/model'

const PLACEHOLDER = /\{([a-z_]+)\}/g

/** Fills the source template; an unknown placeholder is a usage error naming it. */
export function expandSource(template: string, vars: Record<string, string | undefined>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const v = vars[name]
    if (v === undefined)
      throw new UsageError(
        `model source '${template}': {${name}} is not known here (use {run_id}, {artifact_uri}, {sha}, {short_sha} or {job_id})`,
      )
    return v
  })
}

/** The job's MLflow run, opened before submission. */
export interface JobRun {
  runId: string
  artifactUri: string
  experimentId: string
  /** Environment for the job: its training script logs into this run. */
  env: Record<string, string>
}

/** Opens the run the fine-tune job will log into, tagged with where it came from. */
export async function openJobRun(
  client: MlflowClient,
  trackingUri: string,
  experiment: string,
  facts: { repo: string; sha: string; runUrl?: string | undefined },
): Promise<JobRun> {
  const experimentId = await client.experimentId(experiment)
  const tags: KeyValue[] = [
    { key: 'llmops.kind', value: 'finetune' },
    { key: 'llmops.repository', value: facts.repo },
    { key: 'llmops.sha', value: facts.sha },
    { key: 'mlflow.source.git.commit', value: facts.sha },
    ...(facts.runUrl ? [{ key: 'llmops.run_url', value: facts.runUrl }] : []),
  ]
  const run = await client.createRun(experimentId, `finetune-${facts.sha.slice(0, 12)}`, tags)
  return {
    runId: run.runId,
    artifactUri: run.artifactUri,
    experimentId,
    env: {
      MLFLOW_TRACKING_URI: trackingUri,
      MLFLOW_RUN_ID: run.runId,
      MLFLOW_EXPERIMENT_ID: experimentId,
    },
  }
}

/** A registered, READY model version. */
export interface Registered {
  model: string
  version: string
  source: string
  url: string
}

/**
 * Creates the model version from the finished job and waits until MLflow says READY;
 * FAILED_REGISTRATION or the deadline throws, naming the version.
 */
export async function registerFineTuned(
  client: MlflowClient,
  spec: RegisterSpec,
  facts: { sha: string; jobId: string; repo: string; run: JobRun | null },
  logger: Logger,
  timeoutMs = 300_000,
): Promise<Registered> {
  const source = expandSource(spec.source, {
    run_id: facts.run?.runId,
    artifact_uri: facts.run?.artifactUri,
    sha: facts.sha,
    short_sha: facts.sha.slice(0, 12),
    job_id: facts.jobId,
  })
  await client.ensureRegisteredModel(spec.model)
  const mv = await client.createModelVersion(spec.model, source, facts.run?.runId, [
    { key: 'llmops.sha', value: facts.sha },
    { key: 'llmops.job_id', value: facts.jobId },
    { key: 'llmops.repository', value: facts.repo },
  ])
  logger.info(
    `MLflow: ${spec.model} version ${mv.version} created from ${source}; waiting for READY`,
  )
  const ready = await client.waitReady(spec.model, mv.version, timeoutMs)
  return {
    model: spec.model,
    version: ready.version,
    source,
    url: client.modelVersionUrl(spec.model, ready.version),
  }
}

/** Registration settings from flags and config (`mlflow.model`, `mlflow.register_source`). */
export interface RegisterOptions {
  trackingUri: string | undefined
  experiment: string
  model: string | undefined
  source: string | undefined
}

/** A fine-tune whose result is registered: the open run and what to register. */
export interface Registration {
  client: MlflowClient
  spec: RegisterSpec
  run: JobRun
}

/**
 * Opens the job's run when a model is to be registered (a model name and a tracking server); null
 * when not. A model without a tracking server is a usage error.
 */
export async function prepareRegistration(
  options: RegisterOptions,
  makeClient: (uri: string) => MlflowClient,
  facts: { repo: string; sha: string; runUrl?: string | undefined },
): Promise<Registration | null> {
  if (!options.model) return null
  if (!options.trackingUri)
    throw new UsageError(
      `registering '${options.model}' needs a tracking server: --mlflow-uri, mlflow.tracking_uri or MLFLOW_TRACKING_URI`,
    )
  const client = makeClient(options.trackingUri)
  const run = await openJobRun(client, options.trackingUri, options.experiment, facts)
  return { client, spec: { model: options.model, source: options.source ?? DEFAULT_SOURCE }, run }
}

/**
 * After the job: registers the model when it succeeded, and closes the run if the job left it open
 * (FAILED when the job did not succeed, so nothing looks finished that is not).
 */
export async function completeRegistration(
  reg: Registration,
  outcome: { succeeded: boolean; jobId: string; sha: string; repo: string },
  logger: Logger,
): Promise<Registered | null> {
  const stored = await reg.client.getRun(reg.run.runId)
  if (stored.run.info.status === 'RUNNING')
    await reg.client.finishRun(reg.run.runId, outcome.succeeded ? 'FINISHED' : 'FAILED')
  if (!outcome.succeeded) return null
  return registerFineTuned(
    reg.client,
    reg.spec,
    { sha: outcome.sha, jobId: outcome.jobId, repo: outcome.repo, run: reg.run },
    logger,
  )
}
