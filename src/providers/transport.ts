import { Agent, request, type Dispatcher } from 'undici'
import {
  classifyTransportError,
  kindOfStatus,
  parseRetryAfter,
  ProviderError,
} from './provider-error.js'

/** One HTTP exchange's outcome: the status, the parsed JSON body (or a stream) and the time it took. */
export interface HttpResult<T> {
  status: number
  body: T
  latency_ms: number
}

export interface SendOptions {
  method?: 'GET' | 'POST'
  headers: Record<string, string>
  timeoutMs: number
  signal?: AbortSignal | undefined
  dispatcher: Dispatcher
  now?: () => number
}

/** An undici connection pool sized for a provider's concurrency. */
export function createAgent(connections: number, timeoutMs: number): Agent {
  return new Agent({
    connections,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  })
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/**
 * Sends one request with a timeout that also covers reading the body. Failures become ProviderErrors:
 * `cancelled` when the caller aborted, `timeout`, `connection`, or the kind of the HTTP status.
 * `consume` turns the response body into the result (JSON by default, or an SSE reader).
 */
export async function send<T>(
  url: string,
  body: unknown,
  options: SendOptions,
  consume: (res: Dispatcher.ResponseData, started: number) => Promise<T>,
): Promise<HttpResult<T>> {
  const now = options.now ?? (() => performance.now())
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, options.timeoutMs)
  const onAbort = () => controller.abort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted) controller.abort()
  const started = now()
  try {
    const res = await request(url, {
      method: options.method ?? 'POST',
      headers:
        body === undefined
          ? options.headers
          : { 'content-type': 'application/json', ...options.headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: controller.signal,
      dispatcher: options.dispatcher,
    })
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const text = await res.body.text().catch(() => '')
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], Date.now())
      throw new ProviderError(
        kindOfStatus(res.statusCode),
        `HTTP ${res.statusCode} from ${url}: ${truncate(text)}`,
        {
          status: res.statusCode,
          url,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
      )
    }
    const result = await consume(res, started)
    return { status: res.statusCode, body: result, latency_ms: now() - started }
  } catch (error) {
    if (options.signal?.aborted) throw new ProviderError('cancelled', `cancelled: ${url}`, { url })
    if (timedOut)
      throw new ProviderError(
        'timeout',
        `no complete response from ${url} within ${options.timeoutMs} ms`,
        { url },
      )
    if (error instanceof ProviderError) throw error
    throw classifyTransportError(error, url)
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}

/** Reads a response body as JSON; a body that is not JSON is a `bad_response`. */
export async function readJson(res: Dispatcher.ResponseData, url: string): Promise<unknown> {
  const text = await res.body.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ProviderError('bad_response', `response from ${url} is not JSON: ${truncate(text)}`, {
      url,
    })
  }
}
