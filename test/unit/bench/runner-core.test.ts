import { describe, expect, it } from 'vitest'
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
