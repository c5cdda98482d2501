import type { ErrorKind } from '../contracts/results.js'

/** A failed call to a model server, classified into the error kinds results.jsonl records. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: {
      status?: number
      retryAfterMs?: number
      url?: string
      cause?: unknown
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'ProviderError'
  }
}

const RETRYABLE: ReadonlySet<ErrorKind> = new Set([
  'rate_limited',
  'server_error',
  'connection',
  'timeout',
])

/** Whether a failure is worth another attempt: 429, 5xx, connection failures and timeouts. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && RETRYABLE.has(error.kind)
}

/** The error kind of an HTTP status that is not 2xx. */
export function kindOfStatus(status: number): ErrorKind {
  if (status === 429) return 'rate_limited'
  if (status === 408) return 'timeout'
  if (status >= 500) return 'server_error'
  if (status === 404 || status === 405 || status === 501) return 'unsupported'
  return 'bad_response'
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** The code of an error or of any error in its cause chain (undici wraps socket errors). */
function errorCode(error: unknown): string | undefined {
  let cur: unknown = error
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code
    cur = (cur as { cause?: unknown }).cause
  }
  return undefined
}

/** Classifies a thrown transport error (not an HTTP status) into a ProviderError. */
export function classifyTransportError(error: unknown, url: string): ProviderError {
  if (error instanceof ProviderError) return error
  const code = errorCode(error)
  const message = error instanceof Error ? error.message : String(error)
  if (code) {
    return new ProviderError('connection', `${code}: ${message}`, { url, cause: error })
  }
  const name = (error as { name?: unknown } | null)?.name
  if (name === 'HeadersTimeoutError' || name === 'BodyTimeoutError') {
    return new ProviderError('timeout', message, { url, cause: error })
  }
  return new ProviderError('connection', message, { url, cause: error })
}

/**
 * Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  const v = Array.isArray(value) ? value[0] : value
  if (v === undefined || v.trim() === '') return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000)
  const date = Date.parse(v)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
