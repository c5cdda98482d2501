import diagnosticsChannel from 'node:diagnostics_channel'
import { Client } from 'undici'
import type { RawResult } from './request-metrics.js'
import { nowMs, type RawStream } from './timeline.js'

/**
 * A response's bytes as they arrived: copied into one growing buffer with each chunk's end and
 * arrival time, so the hot path keeps no object per chunk. Thousands of retained chunk Buffers per
 * worker survived every scavenge and filled the old generation: GC pauses of 2-13 ms and a 28 ms
 * mark-compact in the middle of a 256-stream run, each delaying every stamp that fell inside it.
 * `chunks` makes the per-chunk views on first use, after the run.
 */
export class ChunkLog implements RawStream {
  private bytes = new Uint8Array(2048)
  private length = 0
  private readonly ends: number[] = []
  readonly times: number[] = []
  private views: Buffer[] | null = null

  push(chunk: Uint8Array, t: number): void {
    this.times.push(t)
    const need = this.length + chunk.length
    if (need > this.bytes.length) {
      let size = this.bytes.length * 2
      while (size < need) size *= 2
      const grown = new Uint8Array(size)
      grown.set(this.bytes.subarray(0, this.length))
      this.bytes = grown
    }
    this.bytes.set(chunk, this.length)
    this.length = need
    this.ends.push(need)
  }

  get chunks(): Buffer[] {
    if (this.views === null) {
      let start = 0
      this.views = this.ends.map((end) => {
        const v = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start)
        start = end
        return v
      })
    }
    return this.views
  }
}

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
 * The moment a request's bytes go to the socket. `dispatch` only queues the request: under load a
 * busy client thread writes it later, and stamping the send at dispatch would add that client delay
 * to TTFT (a Python client's stamp before `session.post` has the same skew). undici publishes
 * `undici:request:create` synchronously inside `dispatch` and `undici:client:sendHeaders` right before
 * it writes; the first ties undici's request object to our stream, the second stamps it.
 */
const onWrite = new WeakMap<object, (t: number) => void>()
let creating: ((t: number) => void) | null = null
diagnosticsChannel.subscribe('undici:request:create', (message) => {
  if (creating) onWrite.set((message as { request: object }).request, creating)
  creating = null
})
diagnosticsChannel.subscribe('undici:client:sendHeaders', (message) => {
  onWrite.get((message as { request: object }).request)?.(nowMs())
})

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
    const log = new ChunkLog()
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
        tSend: tWritten ?? tSend,
        tDispatch: tSend,
        tHeaders,
        status,
        error,
        raw: log,
        inputTokens: job.inputTokens,
        requestedOutput: job.requestedOutput,
      })
    }
    const timer = setTimeout(() => {
      abort?.(new Error('timeout'))
      finish(`timeout after ${options.timeoutMs} ms`)
    }, options.timeoutMs)
    let tSend = nowMs()
    let tWritten: number | null = null
    let attempts = 0
    const send = () => {
      attempts++
      tSend = nowMs()
      tWritten = null
      creating = (t) => (tWritten = t)
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
            log.push(chunk, nowMs())
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
      creating = null
    }
    send()
  })
}
