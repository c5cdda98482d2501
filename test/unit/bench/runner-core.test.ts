import { describe, expect, it } from 'vitest'
import { requestId } from '../../../src/bench/run.js'
import { loopDelayMs } from '../../../src/bench/runner-core.js'

describe('loopDelayMs', () => {
  it('subtracts the 1 ms sampling period Node records with every sample', () => {
    expect(loopDelayMs(1_000_000)).toBe(0)
    expect(loopDelayMs(1_250_000)).toBeCloseTo(0.25, 12)
    expect(loopDelayMs(7_000_000)).toBe(6)
    // Timers may fire a hair early: never a negative delay.
    expect(loopDelayMs(900_000)).toBe(0)
  })
})

describe('requestId', () => {
  it('is a version-4 UUID (llama-cpp-python rejects any other x-request-id) that names the request', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    const measured = requestId('0a1b2c3d', 1, 2, false, 300)
    expect(measured).toMatch(uuid)
    expect(measured).toBe('0a1b2c3d-0001-4002-8000-00000000012c')
    expect(requestId('0a1b2c3d', 0, 0, true, 7)).toBe('0a1b2c3d-0000-4000-9000-000000000007')
    expect(requestId('0a1b2c3d', 0, 0, true, 7)).toMatch(uuid)
  })
})
