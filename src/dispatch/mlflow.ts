import { InfrastructureError } from '../errors.js'
import { systemClock, type Clock } from '../providers/retry.js'
import { jsonHttp, type JsonHttp, type JsonResponse } from './http.js'

/**
 * MLflow's log-batch limits per request (`mlflow/utils/validation.py`, MLflow 3.17): 1,000 metrics,
 * 100 params, 100 tags, 1,000 entities in total, 1 MB of JSON. We stop at 900 kB to leave room for
 * the envelope.
 */
export const LOG_BATCH_LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  total: 1000,
  bytes: 900_000,
} as const

/** MLflow's value limits: keys 250 characters, param values 6,000, run tag values 8,000. */
export const MLFLOW_VALUE_LIMITS = { key: 250, param: 6000, tag: 8000 } as const

export interface MlflowMetric {
  key: string
  value: number
  timestamp: number
  step: number
}
export interface KeyValue {
  key: string
  value: string
}

export interface ModelVersion {
  name: string
  version: string
  status: 'PENDING_REGISTRATION' | 'READY' | 'FAILED_REGISTRATION'
  status_message?: string
  run_id?: string
  source?: string
  aliases?: string[]
  tags?: KeyValue[]
}

/** An MLflow REST error (`{error_code, message}`) with the HTTP status. */
export class MlflowError extends InfrastructureError {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message)
    this.name = 'MlflowError'
  }
}

/**
 * Splits metrics, params and tags into log-batch requests within MLflow's limits. Params go first
 * (they are immutable, so a partial write of them is the one that matters), then tags, then metrics.
 */
export function logBatches(metrics: MlflowMetric[], params: KeyValue[], tags: KeyValue[]) {
  const batches: { metrics: MlflowMetric[]; params: KeyValue[]; tags: KeyValue[] }[] = []
  let current = { metrics: [] as MlflowMetric[], params: [] as KeyValue[], tags: [] as KeyValue[] }
  let bytes = 0
  const size = () => current.metrics.length + current.params.length + current.tags.length
  const push = <K extends 'metrics' | 'params' | 'tags'>(
    kind: K,
    item: (typeof current)[K][number],
  ) => {
    const itemBytes = Buffer.byteLength(JSON.stringify(item)) + 1
    if (
      size() > 0 &&
      (current[kind].length >= LOG_BATCH_LIMITS[kind] ||
        size() >= LOG_BATCH_LIMITS.total ||
        bytes + itemBytes > LOG_BATCH_LIMITS.bytes)
    ) {
      batches.push(current)
      current = { metrics: [], params: [], tags: [] }
      bytes = 0
    }
    ;(current[kind] as unknown[]).push(item)
    bytes += itemBytes
  }
  for (const p of params) push('params', p)
  for (const t of tags) push('tags', t)
  for (const m of metrics) push('metrics', m)
  if (size() > 0) batches.push(current)
  return batches
}

/** A client for the MLflow tracking server and model registry REST API (`/api/2.0/mlflow`). */
export class MlflowClient {
  private readonly http: JsonHttp
  private readonly base: string
  private readonly service: string

  /**
   * `token` is sent as a bearer token; `username`/`password` (or credentials written into the URI)
   * as HTTP basic auth, which is what `MLFLOW_TRACKING_USERNAME`/`_PASSWORD` mean to MLflow. The
   * credentials never appear in messages or in the run and model URLs.
   */
  constructor(
    trackingUri: string,
    options: {
      http?: JsonHttp
      token?: string
      username?: string
      password?: string
      clock?: Clock
    } = {},
    private readonly clock: Clock = options.clock ?? systemClock,
  ) {
    let username = options.username
    let password = options.password
    let base = trackingUri
    try {
      const url = new URL(trackingUri)
      if (url.username || url.password) {
        username ??= decodeURIComponent(url.username)
        password ??= decodeURIComponent(url.password)
        url.username = ''
        url.password = ''
        base = url.toString()
      }
    } catch {
      // Not a URL: requests will fail and say so with the URI as given.
    }
    this.base = base.replace(/\/+$/, '')
    this.service = `MLflow at ${this.base}`
    const authorization = options.token
      ? `Bearer ${options.token}`
      : username !== undefined
        ? `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`
        : undefined
    this.http =
      options.http ??
      jsonHttp({ service: this.service, ...(authorization ? { headers: { authorization } } : {}) })
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'DELETE' | 'PATCH',
    path: string,
    body?: Record<string, unknown>,
  ): Promise<T> {
    let url = `${this.base}/api/2.0/mlflow/${path}`
    if ((method === 'GET' || method === 'DELETE') && body) {
      const qs = new URLSearchParams(
        Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]),
      )
      url += `?${qs.toString()}`
    }
    const res: JsonResponse<T & { error_code?: string; message?: string }> = await this.http(
      method,
      url,
      method === 'GET' ? undefined : body,
    )
    if (res.status >= 200 && res.status < 300) return res.body
    const b: { error_code?: string; message?: string } =
      (typeof res.body === 'object' && res.body) || {}
    throw new MlflowError(
      res.status,
      b.error_code ?? `HTTP_${res.status}`,
      `${this.service}: ${method} ${path} failed: ${b.error_code ?? res.status}: ${b.message ?? String(res.body).slice(0, 300)}`,
    )
  }

  /** The id of an experiment, or undefined when there is none by that name. */
  async findExperimentId(name: string): Promise<string | undefined> {
    try {
      const r = await this.call<{ experiment: { experiment_id: string } }>(
        'GET',
        'experiments/get-by-name',
        { experiment_name: name },
      )
      return r.experiment.experiment_id
    } catch (error) {
      if (error instanceof MlflowError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST')
        return undefined
      throw error
    }
  }

  /** The id of an experiment, created when missing. */
  async experimentId(name: string): Promise<string> {
    const existing = await this.findExperimentId(name)
    if (existing !== undefined) return existing
    try {
      const r = await this.call<{ experiment_id: string }>('POST', 'experiments/create', { name })
      return r.experiment_id
    } catch (error) {
      // Created concurrently by another job: read it back.
      if (error instanceof MlflowError && error.errorCode === 'RESOURCE_ALREADY_EXISTS')
        return this.experimentId(name)
      throw error
    }
  }

  async createRun(
    experimentId: string,
    runName: string,
    tags: KeyValue[],
  ): Promise<{ runId: string; artifactUri: string }> {
    const r = await this.call<{ run: { info: { run_id: string; artifact_uri: string } } }>(
      'POST',
      'runs/create',
      {
        experiment_id: experimentId,
        run_name: runName,
        start_time: Date.now(),
        tags,
      },
    )
    return { runId: r.run.info.run_id, artifactUri: r.run.info.artifact_uri }
  }

  /** Logs everything in as many log-batch requests as the limits need; returns the number of requests. */
  async logBatch(
    runId: string,
    metrics: MlflowMetric[],
    params: KeyValue[],
    tags: KeyValue[],
  ): Promise<number> {
    const batches = logBatches(metrics, params, tags)
    for (const b of batches) await this.call('POST', 'runs/log-batch', { run_id: runId, ...b })
    return batches.length
  }

  async finishRun(runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED'): Promise<void> {
    await this.call('POST', 'runs/update', { run_id: runId, status, end_time: Date.now() })
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'runs/set-tag', { run_id: runId, key, value })
  }

  /** Runs of an experiment matching an MLflow search filter, newest first. */
  async searchRuns(experimentId: string, filter: string, maxResults = 100) {
    const r = await this.call<{
      runs?: {
        info: { run_id: string; status: string; start_time?: number | string }
        data: { tags?: KeyValue[]; metrics?: MlflowMetric[] }
      }[]
    }>('POST', 'runs/search', {
      experiment_ids: [experimentId],
      filter,
      max_results: maxResults,
      order_by: ['attributes.start_time DESC'],
    })
    return r.runs ?? []
  }

  /** The run's page in the MLflow UI. */
  runUrl(experimentId: string, runId: string): string {
    return `${this.base}/#/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`
  }

  /** The model version's page in the MLflow UI. */
  modelVersionUrl(name: string, version: string): string {
    return `${this.base}/#/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`
  }

  async getRun(runId: string) {
    return this.call<{
      run: {
        info: { run_id: string; status: string }
        data: { metrics?: MlflowMetric[]; params?: KeyValue[]; tags?: KeyValue[] }
      }
    }>('GET', 'runs/get', { run_id: runId })
  }

  /**
   * Uploads a text artifact through the tracking server's artifact proxy (`mlflow server`
   * serves artifacts by default: `PUT /api/2.0/mlflow-artifacts/artifacts/<path>`).
   */
  async uploadArtifact(
    artifactUri: string,
    fileName: string,
    content: string,
    contentType = 'text/markdown',
  ): Promise<void> {
    const prefix = 'mlflow-artifacts:'
    if (!artifactUri.startsWith(prefix)) {
      throw new InfrastructureError(
        `${this.service}: artifact store ${artifactUri} is not proxied by the server; cannot upload ${fileName}`,
      )
    }
    const rel = artifactUri.slice(prefix.length).replace(/^\/+/, '')
    const url = `${this.base}/api/2.0/mlflow-artifacts/artifacts/${rel}/${encodeURIComponent(fileName)}`
    const res = await this.http('PUT', url, content, { 'content-type': contentType })
    if (res.status >= 300)
      throw new InfrastructureError(
        `${this.service}: uploading ${fileName} failed with HTTP ${res.status}`,
      )
  }

  /** Creates the registered model; an existing one is fine. */
  async ensureRegisteredModel(name: string): Promise<void> {
    try {
      await this.call('POST', 'registered-models/create', { name })
    } catch (error) {
      if (!(error instanceof MlflowError) || error.errorCode !== 'RESOURCE_ALREADY_EXISTS')
        throw error
    }
  }

  async createModelVersion(
    name: string,
    source: string,
    runId: string | undefined,
    tags: KeyValue[],
  ): Promise<ModelVersion> {
    const r = await this.call<{ model_version: ModelVersion }>('POST', 'model-versions/create', {
      name,
      source,
      ...(runId ? { run_id: runId } : {}),
      tags,
    })
    return r.model_version
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const r = await this.call<{ model_version: ModelVersion }>('GET', 'model-versions/get', {
      name,
      version,
    })
    return r.model_version
  }

  /** Polls a version until READY; FAILED_REGISTRATION or the deadline is an error naming the version. */
  async waitReady(
    name: string,
    version: string,
    timeoutMs = 300_000,
    pollMs = 2000,
  ): Promise<ModelVersion> {
    const deadline = this.clock.now() + timeoutMs
    for (;;) {
      const mv = await this.getModelVersion(name, version)
      if (mv.status === 'READY') return mv
      if (mv.status === 'FAILED_REGISTRATION') {
        throw new InfrastructureError(
          `${this.service}: ${name} version ${version} failed registration: ${mv.status_message ?? 'no message'}`,
        )
      }
      if (this.clock.now() >= deadline) {
        throw new InfrastructureError(
          `${this.service}: ${name} version ${version} still ${mv.status} after ${Math.round(timeoutMs / 1000)} s`,
        )
      }
      await this.clock.sleep(pollMs)
    }
  }

  async setVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'model-versions/set-tag', { name, version, key, value })
  }

  /** The version an alias points at, or undefined when the alias is not set. */
  async getAlias(name: string, alias: string): Promise<ModelVersion | undefined> {
    try {
      const r = await this.call<{ model_version: ModelVersion }>('GET', 'registered-models/alias', {
        name,
        alias,
      })
      return r.model_version
    } catch (error) {
      // MLflow 3 answers an unset alias with INVALID_PARAMETER_VALUE "... alias X not found" (400).
      const unset =
        error instanceof MlflowError &&
        (error.errorCode === 'RESOURCE_DOES_NOT_EXIST' ||
          error.status === 404 ||
          (error.errorCode === 'INVALID_PARAMETER_VALUE' &&
            /alias .* not found/i.test(error.message)))
      if (unset) return undefined
      throw error
    }
  }

  /** Sets or atomically moves an alias (aliases, not the stages deprecated since MLflow 2.9). */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version })
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.call('DELETE', 'registered-models/alias', { name, alias })
  }
}
