import { describe, expect, it } from 'vitest'
import { percentile, percentiles, quantileSorted } from '../../../src/stats/percentile.js'
import { Xoshiro128 } from '../../../src/stats/prng.js'

describe('Xoshiro128 (xoshiro128**)', () => {
  it('reproduces the reference stream from state [1, 2, 3, 4]', () => {
    const g = Xoshiro128.fromState([1, 2, 3, 4])
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([11520, 0, 5927040])
  })

  it('is deterministic per seed and differs across seeds', () => {
    const a = new Xoshiro128(42)
    const b = new Xoshiro128(42)
    const c = new Xoshiro128(43)
    const xs = Array.from({ length: 5 }, () => a.nextUint32())
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs)
  })

  it('draws uniform integers in range', () => {
    const g = new Xoshiro128(7)
    const counts = new Array<number>(10).fill(0)
    for (let i = 0; i < 100_000; i++) counts[g.nextInt(10)]!++
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500)
    const f = g.nextFloat()
    expect(f >= 0 && f < 1).toBe(true)
  })
})

describe('percentile (numpy linear)', () => {
  const x = [3, 1, 4, 1, 5, 9, 2, 6]
  it.each([
    [0, 1],
    [10, 1],
    [25, 1.75],
    [50, 3.5],
    [90, 6.8999999999999995],
    [95, 7.949999999999998],
    [99, 8.79],
    [100, 9],
  ])('p%i matches numpy.percentile', (p, want) => {
    expect(percentile(x, p)).toBeCloseTo(want, 12)
  })

  it('handles empty input, NaN and several percentiles at once', () => {
    expect(percentile([], 50)).toBeNaN()
    expect(percentile([NaN, 2, 4], 50)).toBe(3)
    expect(percentiles(x, [25, 50])).toEqual([1.75, 3.5])
    expect(quantileSorted([5], 0.99)).toBe(5)
  })
})
