import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'

/** GETs a URL and returns its HTTP status; throws when nothing answers (refused, reset, timeout). */
export type StatusProbe = (url: string, signal: AbortSignal) => Promise<number>

/** The default probe: one undici GET with a short timeout, body discarded. */
export const httpStatus: StatusProbe = async (url, signal) => {
  const response = await request(url, {
    method: 'GET',
    signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
    headersTimeout: 5_000,
    bodyTimeout: 5_000,
  })
  await response.body.dump()
  return response.statusCode
}

export type Readiness =
  | { ready: true; via: string; waitedMs: number }
  | { ready: false; reason: 'timeout' | 'exited' | 'aborted'; detail: string; waitedMs: number }

export interface WaitReadyOptions {
  timeoutMs: number
  /** Settles when the server process ends; an early exit stops the wait at once. */
  exited: Promise<string>
  signal: AbortSignal
  probe?: StatusProbe
  /** Pause between attempts (default 500 ms). */
  intervalMs?: number
  now?: () => number
}

const ok = (status: number) => status >= 200 && status < 300

/**
 * Waits until the server answers: `GET <baseUrl>/models` with 2xx (vLLM, SGLang, TGI, llama.cpp,
 * Ollama all serve it once the model is loaded), or, for a server without that route (404),
 * `GET <origin>/health` with 2xx. Servers that answer 503 while loading are simply retried.
 */
export async function waitReady(baseUrl: string, options: WaitReadyOptions): Promise<Readiness> {
  const probe = options.probe ?? httpStatus
  const now = options.now ?? Date.now
  const start = now()
  const interval = options.intervalMs ?? 500
  const base = baseUrl.replace(/\/+$/, '')
  const health = `${new URL(base).origin}/health`
  let exitedWith: string | undefined
  void options.exited.then((how) => {
    exitedWith = how
  })
  for (;;) {
    const waitedMs = now() - start
    if (options.signal.aborted)
      return { ready: false, reason: 'aborted', detail: 'cancelled', waitedMs }
    if (exitedWith !== undefined)
      return { ready: false, reason: 'exited', detail: exitedWith, waitedMs }
    try {
      const models = await probe(`${base}/models`, options.signal)
      if (ok(models)) return { ready: true, via: `${base}/models`, waitedMs: now() - start }
      if (models === 404 && ok(await probe(health, options.signal))) {
        return { ready: true, via: health, waitedMs: now() - start }
      }
    } catch {
      // Not listening yet.
    }
    if (now() - start >= options.timeoutMs) {
      return {
        ready: false,
        reason: 'timeout',
        detail: `no answer within ${Math.round(options.timeoutMs / 1000)} s`,
        waitedMs: now() - start,
      }
    }
    await Promise.race([sleep(interval), options.exited])
  }
}
