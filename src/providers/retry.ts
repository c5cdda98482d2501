import { isRetryable, ProviderError } from './provider-error.js'

/** How failed calls are retried: exponential backoff with full jitter, capped, honouring Retry-After. */
export interface RetryPolicy {
  maxRetries: number
  /** Backoff ceiling of the first retry; doubles with each attempt. */
  baseMs: number
  /** Largest backoff ceiling. */
  capMs: number
  /** Largest Retry-After we wait for; a server asking for longer gets this. */
  maxRetryAfterMs: number
}

export const defaultRetryPolicy: Omit<RetryPolicy, 'maxRetries'> = {
  baseMs: 500,
  capMs: 30_000,
  maxRetryAfterMs: 120_000,
}

/** Time source and sleeping, injected so tests can run the schedule on a fake clock. */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** The real clock: Date.now and a timer that an AbortSignal cancels. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelled())
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      const onAbort = () => {
        clearTimeout(timer)
        reject(cancelled())
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}

function cancelled(): ProviderError {
  return new ProviderError('cancelled', 'cancelled')
}

/**
 * The wait before retry number `attempt` (0-based): full jitter, `random() * min(cap, base * 2^attempt)`
 * (AWS architecture blog, "Exponential Backoff And Jitter"). A Retry-After from the server is a floor.
 */
export function backoffDelay(
  attempt: number,
  policy: Omit<RetryPolicy, 'maxRetries'>,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt)
  const jittered = Math.floor(random() * ceiling)
  if (retryAfterMs === undefined) return jittered
  return Math.min(policy.maxRetryAfterMs, Math.max(retryAfterMs, jittered))
}

export interface RetryOptions {
  policy: RetryPolicy
  clock: Clock
  random: () => number
  signal?: AbortSignal | undefined
  /** Called before each wait, e.g. to count retries or log them. */
  onRetry?: (error: ProviderError, attempt: number, delayMs: number) => void
}

/** Runs `fn` until it succeeds, fails with a non-retryable error, or the retries are used up. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (options.signal?.aborted) throw cancelled()
      if (!isRetryable(error) || attempt >= options.policy.maxRetries) throw error
      const err = error as ProviderError
      const delay = backoffDelay(attempt, options.policy, options.random, err.details.retryAfterMs)
      options.onRetry?.(err, attempt, delay)
      await options.clock.sleep(delay, options.signal)
    }
  }
}
