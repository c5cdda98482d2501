import { Client } from 'undici'
import type { RawResult } from './request-metrics.js'
import { nowMs } from './timeline.js'

/** One request to send: its JSON body and bookkeeping. */
export interface StreamJob {
  index: number
  warmup: boolean
  /** Sent as `x-request-id` (vLLM and SGLang use it as their request id, so server logs match). */
  requestId: string
  body: string
  inputTokens: number | null
  requestedOutput: number | null
  /** Absolute intended send time (monotonic ms) for open-loop schedules. */
  tIntended: number | null
}

/** Where and how to send. */
export interface TransportOptions {
  origin: string
  path: string
  headers: Record<string, string>
  /** Whole-request limit. */
  timeoutMs: number
  /** Longest silence between body bytes before the stream counts as stalled. */
  stallMs: number
}

/**
 * A client holding exactly one HTTP/1.1 connection (undici `Client`, no pipelining), so every
 * concurrent stream has its own socket and no pool can make it wait.
 */
export function newConnection(origin: string, options: TransportOptions): Client {
  return new Client(origin, {
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.stallMs,
    connect: { noDelay: true },
  })
}

/**
 * Sends one streaming request and records the response bytes with the monotonic time each chunk
 * arrived, taken in the data callback before any parsing.
 */
export function sendStream(
  client: Client,
  job: StreamJob,
  options: TransportOptions,
): Promise<RawResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const times: number[] = []
    let status: number | null = null
    let tHeaders: number | null = null
    let settled = false
    let abort: ((reason: Error) => void) | null = null
    const finish = (error: string | null) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({
        index: job.index,
        warmup: job.warmup,
        requestId: job.requestId,
        tIntended: job.tIntended,
        tSend,
        tHeaders,
        status,
        error,
        raw: { chunks, times },
        inputTokens: job.inputTokens,
        requestedOutput: job.requestedOutput,
      })
    }
    const timer = setTimeout(() => {
      abort?.(new Error('timeout'))
      finish(`timeout after ${options.timeoutMs} ms`)
    }, options.timeoutMs)
    let tSend = nowMs()
    let attempts = 0
    const send = () => {
      attempts++
      tSend = nowMs()
      client.dispatch(
        {
          origin: options.origin,
          path: options.path,
          method: 'POST',
          headers: { ...options.headers, 'x-request-id': job.requestId },
          body: job.body,
        },
        {
          onRequestStart(controller) {
            abort = (reason) => controller.abort(reason)
          },
          onResponseStart(_controller, statusCode) {
            tHeaders = nowMs()
            status = statusCode
          },
          onResponseData(_controller, chunk) {
            times.push(nowMs())
            chunks.push(chunk)
          },
          onResponseEnd() {
            finish(null)
          },
          onResponseError(_controller, error) {
            const code = (error as { code?: string }).code
            if (code === 'UND_ERR_SOCKET') {
              // A kept-alive connection the server had already closed fails before any response:
              // resend once on a fresh connection (the server never saw the request).
              if (status === null && attempts === 1) return send()
            }
            finish(
              code === 'UND_ERR_BODY_TIMEOUT'
                ? `stalled: no bytes for ${options.stallMs} ms`
                : `connection error: ${code ?? error.message}`,
            )
          },
        },
      )
    }
    send()
  })
}
