import { z } from 'zod'
import { InfrastructureError } from '../errors.js'
import { expectStatus, jsonHttp, type JsonHttp } from './http.js'
import type { JobDriver, JobState } from './job.js'

/** Ray Jobs REST API (`ray-project/ray` dashboard/modules/job), default port 8265. */
export interface RayJobSpec {
  /** A shell command built from constants in the config: user values never go in here. */
  entrypoint: string
  submissionId: string
  /** User values travel as environment variables of the job. */
  envVars?: Record<string, string>
  workingDir?: string
  pip?: string[]
  /** String → string only (Ray rejects other values). */
  metadata?: Record<string, string>
  numGpus?: number
  numCpus?: number
}

const jobDetails = z
  .object({
    submission_id: z.string().nullable().optional(),
    status: z.enum(['PENDING', 'RUNNING', 'STOPPED', 'SUCCEEDED', 'FAILED']),
    message: z.string().nullable().optional(),
    error_type: z.string().nullable().optional(),
    driver_exit_code: z.number().nullable().optional(),
  })
  .loose()
export type RayJobDetails = z.infer<typeof jobDetails>

const PHASE: Record<RayJobDetails['status'], JobState['phase']> = {
  PENDING: 'pending',
  RUNNING: 'running',
  STOPPED: 'stopped',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
}

/**
 * A deterministic submission id, so a retried dispatch finds the job it already started instead of
 * starting a second one: `llmops-ft-<repo>-<sha12>-<confighash8>`.
 */
export function raySubmissionId(repo: string, sha: string, configHash: string): string {
  const slug = repo
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)
  return `llmops-ft-${slug}-${sha.slice(0, 12)}-${configHash.slice(0, 8)}`
}

/** A JobDriver for one Ray job. Auth: `Authorization: Bearer <token>` (Ray ≥ 2.52 token auth). */
export function rayDriver(
  address: string,
  spec: RayJobSpec,
  options: { token?: string; http?: JsonHttp } = {},
): JobDriver {
  const base = address.replace(/\/+$/, '')
  const service = `Ray at ${base}`
  const http =
    options.http ??
    jsonHttp({
      service,
      ...(options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
    })
  const runtimeEnv: Record<string, unknown> = {}
  if (spec.envVars && Object.keys(spec.envVars).length) runtimeEnv.env_vars = spec.envVars
  if (spec.workingDir) runtimeEnv.working_dir = spec.workingDir
  if (spec.pip?.length) runtimeEnv.pip = spec.pip

  const get = async (id: string): Promise<RayJobDetails> => {
    const res = await http('GET', `${base}/api/jobs/${encodeURIComponent(id)}`)
    expectStatus(res, [200], `reading job ${id}`, service)
    const parsed = jobDetails.safeParse(res.body)
    if (!parsed.success)
      throw new InfrastructureError(
        `${service}: unexpected job details for ${id}: ${parsed.error.message}`,
      )
    return parsed.data
  }

  return {
    target: 'ray',
    async submit() {
      const body = {
        entrypoint: spec.entrypoint,
        submission_id: spec.submissionId,
        ...(Object.keys(runtimeEnv).length ? { runtime_env: runtimeEnv } : {}),
        ...(spec.metadata ? { metadata: spec.metadata } : {}),
        ...(spec.numGpus !== undefined ? { entrypoint_num_gpus: spec.numGpus } : {}),
        ...(spec.numCpus !== undefined ? { entrypoint_num_cpus: spec.numCpus } : {}),
      }
      const res = await http<{ submission_id?: string; job_id?: string }>(
        'POST',
        `${base}/api/jobs/`,
        body,
      )
      if (res.status === 200)
        return { id: res.body.submission_id ?? spec.submissionId, resumed: false }
      // A duplicate submission_id is refused (400 from the job agent, passed on as 500 by Ray 2.60's
      // head): the job with our deterministic id exists, so follow it instead of starting another.
      if (res.status === 400 || res.status === 500) {
        const existing = await http(
          'GET',
          `${base}/api/jobs/${encodeURIComponent(spec.submissionId)}`,
        )
        if (existing.status === 200) return { id: spec.submissionId, resumed: true }
      }
      expectStatus(res, [200], 'submitting the job', service)
      throw new Error('unreachable')
    },
    async status(id) {
      const d = await get(id)
      const message = [d.message, d.error_type ? `(${d.error_type})` : ''].filter(Boolean).join(' ')
      return { phase: PHASE[d.status], status: d.status, ...(message ? { message } : {}) }
    },
    async logs(id) {
      const res = await http<{ logs?: string }>(
        'GET',
        `${base}/api/jobs/${encodeURIComponent(id)}/logs`,
      )
      expectStatus(res, [200], `reading logs of ${id}`, service)
      return res.body.logs ?? ''
    },
    async cancel(id) {
      const res = await http('POST', `${base}/api/jobs/${encodeURIComponent(id)}/stop`)
      expectStatus(res, [200], `stopping ${id}`, service)
    },
  }
}
