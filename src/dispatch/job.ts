import type { Logger } from '../core/logger.js'
import { systemClock, type Clock } from '../providers/retry.js'

/** A job's state in our vocabulary, with the target's own status word kept for reports. */
export interface JobState {
  phase: 'pending' | 'running' | 'succeeded' | 'failed' | 'stopped'
  /** The target's status, e.g. Ray's SUCCEEDED or a Kubernetes condition. */
  status: string
  message?: string
}

export const isTerminal = (s: JobState) =>
  s.phase === 'succeeded' || s.phase === 'failed' || s.phase === 'stopped'

/** One interface over Ray, Kubernetes, workflow and webhook targets. */
export interface JobDriver {
  readonly target: string
  /** Submits idempotently: submitting the same job twice returns the first one (`resumed: true`). */
  submit(signal?: AbortSignal): Promise<{ id: string; resumed: boolean; url?: string }>
  status(id: string): Promise<JobState>
  /** The log so far (or its tail), when the target offers logs. */
  logs(id: string): Promise<string>
  cancel(id: string): Promise<void>
}

export interface FollowResult {
  id: string
  state: JobState
  timedOut: boolean
  cancelled: boolean
  logTail: string
}

export interface FollowOptions {
  timeoutMs: number
  pollMs?: number
  logger: Logger
  clock?: Clock
  signal?: AbortSignal
  /** Lines of the log kept for the report. */
  tailLines?: number
}

/** The last `n` lines of a text. */
export function tail(text: string, n: number): string {
  const lines = text.replace(/\s+$/, '').split('\n')
  return lines.slice(-n).join('\n')
}

/**
 * Polls a job to a terminal state, streaming new log output into the logger. On timeout or when the
 * signal aborts, the job is cancelled and followed until the target confirms it stopped (or a grace
 * period passes), so nothing keeps running unseen.
 */
export async function followJob(
  driver: JobDriver,
  id: string,
  options: FollowOptions,
): Promise<FollowResult> {
  const clock = options.clock ?? systemClock
  const pollMs = options.pollMs ?? 10_000
  const deadline = clock.now() + options.timeoutMs
  let printed = 0
  let log = ''
  const pump = async () => {
    try {
      log = await driver.logs(id)
    } catch (error) {
      options.logger.debug(`could not read ${driver.target} logs: ${String(error)}`)
      return
    }
    if (log.length > printed) {
      for (const line of log.slice(printed).replace(/\n$/, '').split('\n'))
        options.logger.info(`[${driver.target}] ${line}`)
      printed = log.length
    }
  }
  let state = await driver.status(id)
  let timedOut = false
  let cancelled = false
  while (!isTerminal(state)) {
    if (options.signal?.aborted || clock.now() >= deadline) {
      timedOut = !options.signal?.aborted
      cancelled = !timedOut
      options.logger.warn(
        `${driver.target} job ${id}: ${timedOut ? 'timed out' : 'cancelled'}; stopping it`,
      )
      await driver.cancel(id)
      const grace = clock.now() + Math.max(pollMs * 6, 30_000)
      state = await driver.status(id)
      while (!isTerminal(state) && clock.now() < grace) {
        await clock.sleep(pollMs)
        state = await driver.status(id)
      }
      break
    }
    await pump()
    await clock.sleep(pollMs)
    state = await driver.status(id)
  }
  await pump()
  return { id, state, timedOut, cancelled, logTail: tail(log, options.tailLines ?? 40) }
}
