import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../core/logger.js'
import { getErrorMessage } from '../errors.js'
import { readRunContext } from '../github/context.js'
import { escapeInline } from '../report/escape.js'
import type { z } from 'zod'
import type { mlflowSchema } from './config-schema.js'
import { MLFLOW_VALUE_LIMITS, MlflowClient, type KeyValue, type MlflowMetric } from './mlflow.js'

type Env = Readonly<Record<string, string | undefined>>
export type MlflowConfig = z.infer<typeof mlflowSchema>

/** Where eval and benchmark runs are logged. */
export interface MlflowLogTarget {
  trackingUri: string
  experiment: string
  token?: string
  username?: string
  password?: string
}

/** MLflow's own credential variables: a bearer token, or basic-auth user and password. */
export function mlflowAuth(env: Env): { token?: string; username?: string; password?: string } {
  if (env.MLFLOW_TRACKING_TOKEN) return { token: env.MLFLOW_TRACKING_TOKEN }
  if (env.MLFLOW_TRACKING_USERNAME)
    return {
      username: env.MLFLOW_TRACKING_USERNAME,
      password: env.MLFLOW_TRACKING_PASSWORD ?? '',
    }
  return {}
}

/**
 * The tracking server for run logging: `--mlflow-uri`, else the config's `mlflow.tracking_uri`
 * (unless `mlflow.log_runs: false`), else `MLFLOW_TRACKING_URI`. `--no-mlflow` turns it off.
 */
export function resolveMlflowTarget(input: {
  uri?: string | undefined
  disabled?: boolean | undefined
  config?: MlflowConfig | undefined
  env: Env
}): MlflowLogTarget | undefined {
  if (input.disabled) return undefined
  const fromConfig = input.config && input.config.log_runs !== false
  const uri =
    input.uri ??
    (fromConfig ? input.config?.tracking_uri : undefined) ??
    (input.config?.log_runs === false ? undefined : input.env.MLFLOW_TRACKING_URI)
  if (!uri) return undefined
  return {
    trackingUri: uri,
    experiment: input.config?.experiment ?? input.env.MLFLOW_EXPERIMENT_NAME ?? 'llmops',
    ...mlflowAuth(input.env),
  }
}

/** One eval, benchmark or smoke run as MLflow will store it. */
export interface RunRecord {
  kind: 'eval' | 'bench' | 'smoke'
  /** What makes two runs of the same commit "the same run": suite or scenario names. */
  identity: string
  name: string
  /** The commit the results are about (null outside a checkout). */
  commit: string | null
  params: Record<string, string | number | boolean | null | undefined>
  metrics: { key: string; value: number; step?: number }[]
  /** Why the run is FAILED (errored cases, an invalid benchmark); undefined for FINISHED. */
  failed?: string | undefined
  artifacts: { name: string; content: string; contentType: string }[]
}

export interface MlflowLogResult {
  status: 'logged' | 'failed'
  experimentId?: string
  runId?: string
  runUrl?: string
  /** 1 for the first run of this commit and identity, 2 for the first rerun, ... */
  attempt?: number
  previousRunId?: string
  requests?: number
  /** Set when the artifacts were not uploaded because the server does not proxy the store. */
  artifactsSkipped?: string
  error?: string
}

/**
 * A key MLflow accepts: ASCII letters, digits, `_ . - /` and spaces, no empty, `.` or `..` path
 * segment (the server rejects keys that change under path normalisation), at most 250 characters
 * (a longer key keeps a hash of the whole so two keys never collapse into one).
 */
export function mlflowKey(raw: string): string {
  const key = raw
    .replace(/[^A-Za-z0-9_.\- /]/g, '_')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s === '.' || s === '..' ? s.replaceAll('.', '_') : s))
    .join('/')
  if (key.length <= MLFLOW_VALUE_LIMITS.key) return key || '_'
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8)
  return `${key.slice(0, MLFLOW_VALUE_LIMITS.key - 9)}~${hash}`
}

const cut = (value: string, max: number) => (value.length <= max ? value : value.slice(0, max))

/** Params with valid keys and values cut to MLflow's limit; the first of two equal keys wins. */
export function toParams(params: RunRecord['params']): KeyValue[] {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    const key = mlflowKey(k)
    if (!out.has(key)) out.set(key, cut(String(v), MLFLOW_VALUE_LIMITS.param))
  }
  return [...out].map(([key, value]) => ({ key, value }))
}

/** Finite metrics with valid keys; the first of two equal keys (same step) wins. */
export function toMetrics(metrics: RunRecord['metrics'], timestamp: number): MlflowMetric[] {
  const seen = new Set<string>()
  const out: MlflowMetric[] = []
  for (const m of metrics) {
    if (!Number.isFinite(m.value)) continue
    const key = mlflowKey(m.key)
    const step = m.step ?? 0
    if (seen.has(`${key}@${step}`)) continue
    seen.add(`${key}@${step}`)
    out.push({ key, value: m.value, timestamp, step })
  }
  return out
}

/** The GitHub facts every run carries: repository, PR, commit, ref and the Actions run. */
export function githubTags(env: Env, commit: string | null): KeyValue[] {
  const tags: Record<string, string | undefined> = { 'llmops.sha': commit ?? undefined }
  if (env.GITHUB_REPOSITORY) {
    try {
      const run = readRunContext(env)
      Object.assign(tags, {
        'llmops.repository': run.repository,
        'llmops.pr': run.pullRequest ? String(run.pullRequest.number) : env.LLMOPS_PR,
        'llmops.head_sha': run.pullRequest?.headSha,
        'llmops.ref': run.ref || undefined,
        'llmops.run_url': run.runUrl,
        'llmops.event': run.eventName,
        'mlflow.source.name': `${run.serverUrl}/${run.repository}`,
      })
    } catch {
      // An unreadable event file: the repository alone is still worth recording.
      tags['llmops.repository'] = env.GITHUB_REPOSITORY
    }
  }
  tags['llmops.pr'] ??= env.LLMOPS_PR
  tags['llmops.ref'] ??= env.GITHUB_REF || undefined
  if (commit) tags['mlflow.source.git.commit'] = commit
  return Object.entries(tags)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([key, value]) => ({ key, value: cut(value, MLFLOW_VALUE_LIMITS.tag) }))
}

/** The identity tag value: a short hash of kind and identity, safe inside a search filter. */
export function identityHash(kind: string, identity: string): string {
  return createHash('sha256').update(`${kind}\n${identity}`).digest('hex').slice(0, 16)
}

/**
 * Logs one run: experiment (created when missing), run with tags, params and metrics in as many
 * log-batch requests as the limits need, artifacts through the server's artifact proxy, then the end
 * status (FAILED when `record.failed`). A rerun of the same commit and identity creates a new run
 * tagged `llmops.attempt` and `llmops.previous_run_id`: runs are evidence, and MLflow params are
 * immutable and metrics append-only, so reusing a run would mix two attempts. A run whose logging
 * broke off is tagged `llmops.logging=incomplete: <why>` and ended FAILED (best effort); a complete
 * one is tagged `llmops.logging=complete`. Never throws: the failure is in the result.
 */
export async function logRun(
  target: MlflowLogTarget,
  record: RunRecord,
  deps: { env: Env; logger: Logger; client?: MlflowClient; now?: () => number },
): Promise<MlflowLogResult> {
  const { trackingUri, experiment: _experiment, ...auth } = target
  const client = deps.client ?? new MlflowClient(trackingUri, auth)
  const now = deps.now ?? Date.now
  const result: MlflowLogResult = { status: 'failed' }
  const identity = identityHash(record.kind, record.identity)
  try {
    result.experimentId = await client.experimentId(target.experiment)
    const tags = [
      ...githubTags(deps.env, record.commit),
      { key: 'mlflow.runName', value: cut(record.name, MLFLOW_VALUE_LIMITS.tag) },
      { key: 'llmops.kind', value: record.kind },
      { key: 'llmops.identity', value: identity },
      { key: 'llmops.outcome', value: cut(record.failed ?? 'ok', MLFLOW_VALUE_LIMITS.tag) },
    ]
    if (record.commit && /^[0-9a-f]{7,64}$/.test(record.commit)) {
      const previous = await client.searchRuns(
        result.experimentId,
        `tags.\`llmops.identity\` = '${identity}' and tags.\`llmops.sha\` = '${record.commit}'`,
      )
      result.attempt = previous.length + 1
      const last = previous[0]?.info.run_id
      if (last) result.previousRunId = last
    } else result.attempt = 1
    tags.push({ key: 'llmops.attempt', value: String(result.attempt) })
    if (result.previousRunId)
      tags.push({ key: 'llmops.previous_run_id', value: result.previousRunId })
    const run = await client.createRun(result.experimentId, record.name, tags)
    result.runId = run.runId
    result.runUrl = client.runUrl(result.experimentId, run.runId)
    result.requests = await client.logBatch(
      run.runId,
      toMetrics(record.metrics, now()),
      toParams(record.params),
      [],
    )
    if (run.artifactUri.startsWith('mlflow-artifacts:')) {
      for (const a of record.artifacts)
        await client.uploadArtifact(run.artifactUri, a.name, a.content, a.contentType)
    } else if (record.artifacts.length > 0) {
      // The run's store (s3://, dbfs:/, a local path) is written by clients directly, which a
      // REST-only client cannot do: params, metrics and tags are complete, the files are not there.
      result.artifactsSkipped = `artifact store ${cut(run.artifactUri, 200)} is not proxied by the tracking server (mlflow server --serve-artifacts); ${record.artifacts.map((a) => a.name).join(', ')} not uploaded`
      await client.setTag(run.runId, 'llmops.artifacts', result.artifactsSkipped)
      deps.logger.warn(`MLflow: ${result.artifactsSkipped}`)
    }
    await client.setTag(run.runId, 'llmops.logging', 'complete')
    await client.finishRun(run.runId, record.failed ? 'FAILED' : 'FINISHED')
    result.status = 'logged'
    deps.logger.info(
      `MLflow: ${record.kind} run ${run.runId} (attempt ${result.attempt}) → ${result.runUrl}`,
    )
  } catch (error) {
    result.error = getErrorMessage(error)
    if (result.runId) {
      try {
        await client.setTag(
          result.runId,
          'llmops.logging',
          cut(`incomplete: ${result.error}`, MLFLOW_VALUE_LIMITS.tag),
        )
        await client.finishRun(result.runId, 'FAILED')
      } catch (cleanup) {
        deps.logger.debug(`MLflow: could not mark run ${result.runId}: ${getErrorMessage(cleanup)}`)
      }
    }
    deps.logger.warn(
      `MLflow: the ${record.kind} run was NOT logged${result.runId ? ` completely (run ${result.runId} is ended FAILED with tag llmops.logging=incomplete)` : ''}: ${result.error}. The ${record.kind} results themselves are unaffected.`,
    )
  }
  return result
}

/** The command outputs for a logging result: `mlflow-status`, `mlflow-run-id`, `mlflow-run-url`. */
export function mlflowOutputs(result: MlflowLogResult): Record<string, string> {
  return {
    'mlflow-status': result.status,
    'mlflow-run-id': result.runId ?? '',
    'mlflow-run-url': result.runUrl ?? '',
  }
}

/** One Markdown line for the job summary. */
export function mlflowSummaryLine(kind: string, result: MlflowLogResult): string {
  if (result.status === 'logged')
    return `MLflow: ${kind} run [\`${result.runId ?? ''}\`](${result.runUrl ?? ''}) (attempt ${result.attempt ?? 1})${result.artifactsSkipped ? `; report not attached: ${escapeInline(result.artifactsSkipped, 300)}` : ''}`
  return `⚠️ MLflow logging failed${result.runId ? ` (run \`${result.runId}\` is incomplete and marked FAILED)` : ''}: ${escapeInline(result.error ?? 'unknown error', 300)}. The ${kind} results are not (fully) in MLflow.`
}

/** Writes `mlflow.json` next to the results so later steps and artifacts know what was logged. */
export async function writeMlflowRecord(outDir: string, result: MlflowLogResult): Promise<string> {
  const file = path.join(outDir, 'mlflow.json')
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`)
  return file
}
