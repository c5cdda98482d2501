import { describe, expect, it } from 'vitest'
import { Limiter } from '../../../src/providers/limiter.js'

describe('Limiter', () => {
  it('never runs more than its limit at once and starts waiters in order', async () => {
    const limiter = new Limiter(2)
    let active = 0
    let peak = 0
    const order: number[] = []
    const release: (() => void)[] = []
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limiter.run(async () => {
        order.push(i)
        active++
        peak = Math.max(peak, active)
        await new Promise<void>((r) => release.push(r))
        active--
        return i
      }),
    )
    while (order.length < 5) {
      await new Promise((r) => setImmediate(r))
      release.shift()?.()
    }
    release.forEach((r) => r())
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4])
    expect(peak).toBe(2)
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(limiter.inFlight).toBe(0)
  })

  it('rejects a waiting task as cancelled when its signal aborts', async () => {
    const limiter = new Limiter(1)
    let release = () => {}
    const first = limiter.run(() => new Promise<void>((r) => (release = r)))
    const controller = new AbortController()
    const second = limiter.run(() => Promise.resolve('ran'), controller.signal)
    controller.abort()
    await expect(second).rejects.toMatchObject({ kind: 'cancelled' })
    release()
    await first
    expect(await limiter.run(() => Promise.resolve('next'))).toBe('next')
  })
})
