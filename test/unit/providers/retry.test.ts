import { describe, expect, it } from 'vitest'
import { ProviderError } from '../../../src/providers/provider-error.js'
import {
  backoffDelay,
  withRetry,
  type Clock,
  type RetryPolicy,
} from '../../../src/providers/retry.js'

const policy: RetryPolicy = { maxRetries: 4, baseMs: 500, capMs: 4_000, maxRetryAfterMs: 60_000 }

/** A clock that records every sleep and advances instantly. */
function fakeClock(): Clock & { sleeps: number[]; t: number } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.sleeps.push(ms)
      clock.t += ms
      return Promise.resolve()
    },
  }
  return clock
}

function failing(errors: ProviderError[], value = 'ok') {
  let calls = 0
  const fn = () => {
    const e = errors[calls++]
    return e ? Promise.reject(e) : Promise.resolve(value)
  }
  return { fn, calls: () => calls }
}

describe('backoffDelay', () => {
  it('draws full jitter below a ceiling that doubles per attempt up to the cap', () => {
    const top = () => 0.999999
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, top))).toEqual([
      499, 999, 1999, 3999, 3999, 3999,
    ])
    expect(backoffDelay(3, policy, () => 0.5)).toBe(2000)
    expect(backoffDelay(3, policy, () => 0)).toBe(0)
  })

  it('waits at least Retry-After, but never longer than the maximum', () => {
    expect(backoffDelay(0, policy, () => 0.5, 3_000)).toBe(3_000)
    expect(backoffDelay(3, policy, () => 0.9, 10)).toBe(3600)
    expect(backoffDelay(0, policy, () => 0.5, 600_000)).toBe(60_000)
  })
})

describe('withRetry', () => {
  it('retries 429, 5xx and connection errors on the backoff schedule and returns the success', async () => {
    const clock = fakeClock()
    const errs = [
      new ProviderError('rate_limited', '429'),
      new ProviderError('server_error', '503'),
      new ProviderError('connection', 'ECONNRESET'),
    ]
    const { fn, calls } = failing(errs)
    const retried: number[] = []
    const value = await withRetry(fn, {
      policy,
      clock,
      random: () => 0.5,
      onRetry: (_e, attempt) => retried.push(attempt),
    })
    expect(value).toBe('ok')
    expect(calls()).toBe(4)
    expect(clock.sleeps).toEqual([250, 500, 1000])
    expect(retried).toEqual([0, 1, 2])
  })

  it('honours the Retry-After of a 429', async () => {
    const clock = fakeClock()
    const { fn } = failing([
      new ProviderError('rate_limited', '429', { status: 429, retryAfterMs: 2_000 }),
    ])
    await withRetry(fn, { policy, clock, random: () => 0.5 })
    expect(clock.sleeps).toEqual([2_000])
  })

  it('gives up after max_retries with the last error', async () => {
    const clock = fakeClock()
    const errs = Array.from(
      { length: 10 },
      (_, i) => new ProviderError('server_error', `fail ${i}`),
    )
    const { fn, calls } = failing(errs)
    await expect(withRetry(fn, { policy, clock, random: () => 1 - 1e-9 })).rejects.toThrow('fail 4')
    expect(calls()).toBe(5)
    expect(clock.sleeps).toEqual([499, 999, 1999, 3999])
  })

  it('does not retry errors a retry cannot fix', async () => {
    const clock = fakeClock()
    const { fn, calls } = failing([new ProviderError('bad_response', 'HTTP 400')])
    await expect(withRetry(fn, { policy, clock, random: () => 0.5 })).rejects.toMatchObject({
      kind: 'bad_response',
    })
    expect(calls()).toBe(1)
    expect(clock.sleeps).toEqual([])
  })

  it('stops as cancelled when the signal aborts', async () => {
    const controller = new AbortController()
    const clock = fakeClock()
    const fn = () => {
      controller.abort()
      return Promise.reject(new ProviderError('server_error', '500'))
    }
    await expect(
      withRetry(fn, { policy, clock, random: () => 0.5, signal: controller.signal }),
    ).rejects.toMatchObject({ kind: 'cancelled' })
    expect(clock.sleeps).toEqual([])
  })
})
