import { request, type Dispatcher } from 'undici'
import { InfrastructureError } from '../errors.js'
import { backoffDelay, systemClock, type Clock } from '../providers/retry.js'

/** A JSON response: status and parsed body (raw text when it is not JSON). */
export interface JsonResponse<T = unknown> {
  status: number
  body: T
}

export interface JsonHttpOptions {
  /** What the service is called in error messages, e.g. "Ray at http://127.0.0.1:8265". */
  service: string
  headers?: Record<string, string>
  retries?: number
  timeoutMs?: number
  clock?: Clock
  random?: () => number
  /** An undici dispatcher, e.g. an Agent with a private CA or a client certificate. */
  dispatcher?: Dispatcher
}

/** A small JSON-over-HTTP client for the dispatch targets (Ray, MLflow, Kubernetes, webhooks). */
export type JsonHttp = <T = unknown>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  extraHeaders?: Record<string, string>,
) => Promise<JsonResponse<T>>

/**
 * Creates a JSON client that retries connection errors and 502/503/504 with jittered exponential
 * backoff and turns a service that stays unreachable into an InfrastructureError (exit 3) naming it.
 * Other statuses are returned to the caller, which knows what they mean for its API.
 */
export function jsonHttp(options: JsonHttpOptions): JsonHttp {
  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  const retries = options.retries ?? 4
  const policy = { baseMs: 500, capMs: 10_000, maxRetryAfterMs: 30_000 }
  return async <T>(
    method: string,
    url: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ) => {
    let lastError: string
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await request(url, {
          method: method as 'GET',
          headers: {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...options.headers,
            ...extraHeaders,
          },
          ...(body === undefined
            ? {}
            : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          headersTimeout: options.timeoutMs ?? 30_000,
          bodyTimeout: options.timeoutMs ?? 30_000,
        })
        const text = await res.body.text()
        if ([502, 503, 504].includes(res.statusCode) && attempt < retries) {
          lastError = `HTTP ${res.statusCode}`
        } else {
          let parsed: unknown = text
          try {
            parsed = text === '' ? null : JSON.parse(text)
          } catch {
            // Not JSON: callers see the text.
          }
          return { status: res.statusCode, body: parsed as T }
        }
      } catch (error) {
        lastError =
          error instanceof Error
            ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`
            : String(error)
        if (attempt >= retries) {
          throw new InfrastructureError(
            `${options.service} is unreachable after ${retries + 1} attempts: ${lastError}`,
            {
              cause: error,
            },
          )
        }
      }
      await clock.sleep(backoffDelay(attempt, policy, random))
    }
  }
}

/** Throws an InfrastructureError for an unexpected status, quoting the service's own error message. */
export function expectStatus(res: JsonResponse, ok: number[], what: string, service: string): void {
  if (ok.includes(res.status)) return
  const detail =
    typeof res.body === 'object' && res.body !== null
      ? ((res.body as { message?: string; detail?: string }).message ??
        (res.body as { detail?: string }).detail ??
        JSON.stringify(res.body))
      : String(res.body)
  throw new InfrastructureError(
    `${service}: ${what} failed with HTTP ${res.status}: ${detail.slice(0, 500)}`,
  )
}
