import { z } from 'zod'
import { ConfigurationError, InfrastructureError } from '../errors.js'
import type { JsonResponse } from './http.js'
import type { JobState } from './job.js'

const condition = z
  .object({
    type: z.string(),
    status: z.string(),
    reason: z.string().optional(),
    message: z.string().optional(),
  })
  .loose()

/** The part of a `batch/v1` Job the driver reads. */
export const jobSchema = z
  .object({
    metadata: z
      .object({
        name: z.string(),
        uid: z.string().optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .loose(),
    spec: z.object({ suspend: z.boolean().optional() }).loose().optional(),
    status: z
      .object({
        active: z.number().optional(),
        succeeded: z.number().optional(),
        failed: z.number().optional(),
        ready: z.number().optional(),
        terminating: z.number().optional(),
        conditions: z.array(condition).optional(),
      })
      .loose()
      .optional(),
  })
  .loose()
export type KubeJob = z.infer<typeof jobSchema>

/** A Kubernetes `Status` object, the body of every API error. */
const statusSchema = z
  .object({
    kind: z.literal('Status'),
    message: z.string().optional(),
    reason: z.string().optional(),
    details: z
      .object({
        causes: z
          .array(
            z
              .object({
                field: z.string().optional(),
                message: z.string().optional(),
                reason: z.string().optional(),
              })
              .loose(),
          )
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose()

/**
 * A Job's state from its `.status`: the terminal conditions `Complete` / `Failed` first, then
 * `SuccessCriteriaMet` / `FailureTarget` (Kubernetes ≥ 1.31 sets these as soon as the outcome is
 * decided, and the terminal ones only once every pod has terminated), then `Suspended` (queued,
 * e.g. by Kueue), then the active pod count.
 */
export function jobState(job: KubeJob): JobState {
  const conditions = (job.status?.conditions ?? []).filter((c) => c.status === 'True')
  const find = (...types: string[]) =>
    types.map((t) => conditions.find((c) => c.type === t)).find(Boolean)
  const describe = (c: z.infer<typeof condition>) => {
    const text = [c.reason, c.message].filter(Boolean).join(': ')
    return text ? { message: text } : {}
  }
  const done = find('Complete', 'Failed', 'SuccessCriteriaMet', 'FailureTarget')
  if (done) {
    const ok = done.type === 'Complete' || done.type === 'SuccessCriteriaMet'
    return { phase: ok ? 'succeeded' : 'failed', status: done.type, ...describe(done) }
  }
  const counts = `active ${job.status?.active ?? 0}, ready ${job.status?.ready ?? 0}, failed ${job.status?.failed ?? 0}`
  const suspended = find('Suspended')
  if (suspended || job.spec?.suspend)
    return {
      phase: 'pending',
      status: 'Suspended',
      ...(suspended ? describe(suspended) : { message: 'the Job is suspended' }),
    }
  if ((job.status?.active ?? 0) > 0) return { phase: 'running', status: 'Running', message: counts }
  return { phase: 'pending', status: 'Pending', message: counts }
}

/** RBAC the identity needs in the namespace, named in 403 messages. */
export const RBAC_NEEDED = 'jobs (group batch): create, get, delete; pods: list; pods/log: get'

/**
 * Turns an API error into the project's error: credentials and RBAC problems (401/403) and
 * rejected Jobs (400/422, with the API's causes) are the user's to fix (exit 2); anything else is an
 * infrastructure failure (exit 3). The API server's own message is always quoted.
 */
export function kubeApiError(
  res: JsonResponse,
  what: string,
  where: { server: string; source: string; namespace: string },
): Error {
  const parsed = statusSchema.safeParse(res.body)
  const status = parsed.success ? parsed.data : undefined
  const message =
    status?.message ?? (typeof res.body === 'string' ? res.body : JSON.stringify(res.body))
  const api = `Kubernetes API ${where.server}`
  switch (res.status) {
    case 401:
      return new ConfigurationError(
        `${api}: ${what} was refused (401 Unauthorized): the credentials from ${where.source} are missing, expired or not accepted.`,
      )
    case 403:
      return new ConfigurationError(
        `${api}: ${what} is forbidden (403): ${message}. The identity from ${where.source} needs these RBAC permissions in namespace '${where.namespace}': ${RBAC_NEEDED}.`,
      )
    case 400:
    case 422: {
      const causes = (status?.details?.causes ?? [])
        .map((c) => `- ${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`)
        .join('\n')
      // With causes, the message repeats them on one line: keep its head, list them one per line.
      const head = causes ? message.replace(/ is invalid: [\s\S]*$/, ' is invalid:') : message
      return new ConfigurationError(
        `${api}: ${what} was rejected (${res.status} ${status?.reason ?? ''}): ${head}${causes ? `\n${causes}` : ''}`,
      )
    }
    default:
      return new InfrastructureError(
        `${api}: ${what} failed with HTTP ${res.status}${status?.reason ? ` ${status.reason}` : ''}: ${message.slice(0, 500)}`,
      )
  }
}

/** The reason of a Status body (`AlreadyExists`, `NotFound`, ...), when there is one. */
export function statusReason(body: unknown): string | undefined {
  const parsed = statusSchema.safeParse(body)
  return parsed.success ? parsed.data.reason : undefined
}
