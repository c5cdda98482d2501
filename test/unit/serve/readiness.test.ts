import { describe, expect, it } from 'vitest'
import { waitReady, type StatusProbe } from '../../../src/serve/readiness.js'

/** A probe answering from a script of statuses per URL; `refused` throws like a closed port. */
function scripted(
  script: Record<string, (number | 'refused')[]>,
): StatusProbe & { calls: string[] } {
  const calls: string[] = []
  const probe = (url: string) => {
    calls.push(url)
    const queue = script[url] ?? ['refused']
    const next = queue.length > 1 ? queue.shift() : queue[0]
    return next === 'refused' || next === undefined
      ? Promise.reject(new Error('ECONNREFUSED'))
      : Promise.resolve(next)
  }
  return Object.assign(probe, { calls })
}

const never = new Promise<string>(() => {})
const base = 'http://127.0.0.1:9000/v1'

describe('waitReady', () => {
  it('is ready once /v1/models answers 2xx, after refusals and 503s', async () => {
    const probe = scripted({ [`${base}/models`]: ['refused', 503, 200] })
    const result = await waitReady(base, {
      timeoutMs: 10_000,
      exited: never,
      signal: new AbortController().signal,
      probe,
      intervalMs: 1,
    })
    expect(result).toMatchObject({ ready: true, via: `${base}/models` })
    expect(probe.calls).toEqual([`${base}/models`, `${base}/models`, `${base}/models`])
  })

  it('falls back to /health only when /v1/models is 404', async () => {
    const probe = scripted({
      [`${base}/models`]: [404],
      'http://127.0.0.1:9000/health': [503, 200],
    })
    const result = await waitReady(`${base}/`, {
      timeoutMs: 10_000,
      exited: never,
      signal: new AbortController().signal,
      probe,
      intervalMs: 1,
    })
    expect(result).toMatchObject({ ready: true, via: 'http://127.0.0.1:9000/health' })
  })

  it('times out when nothing answers', async () => {
    let t = 0
    const probe = scripted({})
    const result = await waitReady(base, {
      timeoutMs: 3_000,
      exited: never,
      signal: new AbortController().signal,
      probe,
      intervalMs: 1,
      now: () => (t += 1_000),
    })
    expect(result).toMatchObject({
      ready: false,
      reason: 'timeout',
      detail: 'no answer within 3 s',
    })
  })

  it('stops at once when the process exits', async () => {
    const probe = scripted({})
    const result = await waitReady(base, {
      timeoutMs: 60_000,
      exited: Promise.resolve('exit code 4'),
      signal: new AbortController().signal,
      probe,
      intervalMs: 1,
    })
    expect(result).toMatchObject({ ready: false, reason: 'exited', detail: 'exit code 4' })
  })

  it('stops when aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const result = await waitReady(base, {
      timeoutMs: 60_000,
      exited: never,
      signal: controller.signal,
      probe: scripted({}),
      intervalMs: 1,
    })
    expect(result).toMatchObject({ ready: false, reason: 'aborted' })
  })
})
