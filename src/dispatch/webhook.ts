import { createHmac, randomUUID } from 'node:crypto'
import { z } from 'zod'
import { InfrastructureError } from '../errors.js'
import { expectStatus, jsonHttp, type JsonHttp } from './http.js'
import type { JobDriver, JobState } from './job.js'

/** Header names of the signed webhook (documented in docs/dispatch.md for receivers). */
export const SIGNATURE_HEADER = 'x-llmops-signature-256'
export const TIMESTAMP_HEADER = 'x-llmops-timestamp'
export const DELIVERY_HEADER = 'x-llmops-delivery'

/**
 * The signature of a webhook body: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. The timestamp
 * is inside the signed text, so a receiver can refuse replays older than a few minutes.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

const accepted = z.object({ id: z.string().min(1), status_url: z.url().optional() }).loose()
const statusBody = z
  .object({
    status: z.enum(['pending', 'running', 'succeeded', 'failed', 'stopped']),
    message: z.string().optional(),
    logs: z.string().optional(),
  })
  .loose()

export interface WebhookJob {
  url: string
  secret: string
  /** Where to poll when the receiver does not return a `status_url`. */
  statusUrl?: string
  /** The job description sent as JSON: kind, repository, sha, idempotency key, parameters. */
  payload: Record<string, unknown> & { idempotency_key: string }
}

/**
 * A JobDriver for a generic HTTPS webhook: a signed POST starts the job (the receiver answers
 * `{id, status_url?}`), GET status_url answers `{status, message?, logs?}`, POST status_url/cancel stops it.
 * The idempotency key lets a receiver treat a retried delivery as the same job.
 */
export function webhookDriver(
  job: WebhookJob,
  options: { http?: JsonHttp; now?: () => number } = {},
): JobDriver {
  const service = `webhook ${new URL(job.url).origin}`
  const http = options.http ?? jsonHttp({ service })
  const now = options.now ?? Date.now
  const statusUrls = new Map<string, string>()
  const statusUrl = (id: string) => {
    const url = statusUrls.get(id) ?? job.statusUrl
    if (!url) throw new InfrastructureError(`${service}: job ${id} has no status_url to poll`)
    return url.replace('{id}', encodeURIComponent(id))
  }
  const read = async (id: string) => {
    const res = await http('GET', statusUrl(id))
    expectStatus(res, [200], `reading job ${id}`, service)
    const parsed = statusBody.safeParse(res.body)
    if (!parsed.success)
      throw new InfrastructureError(
        `${service}: malformed status for ${id}: ${parsed.error.issues[0]?.message ?? ''}`,
      )
    return parsed.data
  }
  return {
    target: 'webhook',
    async submit() {
      const body = JSON.stringify(job.payload)
      const timestamp = String(Math.floor(now() / 1000))
      const res = await http('POST', job.url, body, {
        [SIGNATURE_HEADER]: signWebhook(job.secret, timestamp, body),
        [TIMESTAMP_HEADER]: timestamp,
        [DELIVERY_HEADER]: randomUUID(),
      })
      expectStatus(res, [200, 201, 202], 'starting the job', service)
      const parsed = accepted.safeParse(res.body)
      if (!parsed.success)
        throw new InfrastructureError(
          `${service}: the receiver must answer {id, status_url?}, got ${JSON.stringify(res.body).slice(0, 200)}`,
        )
      if (parsed.data.status_url) statusUrls.set(parsed.data.id, parsed.data.status_url)
      return { id: parsed.data.id, resumed: res.status === 200 }
    },
    async status(id): Promise<JobState> {
      const s = await read(id)
      return {
        phase: s.status,
        status: s.status.toUpperCase(),
        ...(s.message ? { message: s.message } : {}),
      }
    },
    async logs(id) {
      return (await read(id)).logs ?? ''
    },
    async cancel(id) {
      const res = await http('POST', `${statusUrl(id)}/cancel`)
      expectStatus(res, [200, 202, 204], `cancelling ${id}`, service)
    },
  }
}
