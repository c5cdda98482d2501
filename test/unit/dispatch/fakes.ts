import type { JsonHttp, JsonResponse } from '../../../src/dispatch/http.js'
import type { Clock } from '../../../src/providers/retry.js'

/** A clock that advances only when something sleeps. */
export function fakeClock(start = 0): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: (ms: number) => {
      c.t += ms
      return Promise.resolve()
    },
  }
  return c
}

export interface Call {
  method: string
  url: string
  body: unknown
}

/** A JsonHttp that answers from a routing function and records every call. */
export function fakeHttp(route: (call: Call) => JsonResponse): JsonHttp & { calls: Call[] } {
  const calls: Call[] = []
  const fn = ((method: string, url: string, body?: unknown) => {
    const call = { method, url, body }
    calls.push(call)
    return Promise.resolve(route(call))
  }) as JsonHttp & { calls: Call[] }
  fn.calls = calls
  return fn
}
