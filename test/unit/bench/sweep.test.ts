import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../../src/bench/run.js'
import { analyseSweeps } from '../../../src/bench/sweep.js'

const run = (
  mode: 'closed' | 'open',
  x: number,
  fig: { req?: number; out?: number; good?: number | null; ttft?: number },
  scenario = 'chat',
): RunRecord =>
  ({
    scenario,
    load: mode === 'closed' ? `concurrency=${x}` : `rate=${x}`,
    mode,
    concurrency: mode === 'closed' ? x : null,
    rate: mode === 'open' ? x : null,
    slo: fig.good === undefined ? null : { ttft_ms: 100 },
    summary: {
      request_throughput: fig.req ?? null,
      output_throughput: fig.out ?? null,
      goodput: fig.good ?? null,
      ttft_ms: { p50: fig.ttft ?? null, mean: fig.ttft ?? null },
    },
  }) as unknown as RunRecord

describe('analyseSweeps', () => {
  it('puts saturation at the last concurrency before more users stop adding throughput', () => {
    const [s] = analyseSweeps([
      run('closed', 8, { out: 800, ttft: 20, good: 7 }),
      run('closed', 1, { out: 110, ttft: 15, good: 1 }),
      run('closed', 4, { out: 430, ttft: 16, good: 4 }),
      run('closed', 16, { out: 816, ttft: 90, good: 2 }),
    ])
    expect(s!.points.map((p) => p.x)).toEqual([1, 4, 8, 16])
    // 8 -> 16: +100% users, +2% tokens/s (< 10% of the ideal +100%).
    expect(s!.saturated_at).toBe('concurrency=8')
    expect(s!.reason).toBe(
      'concurrency=8 → concurrency=16: 100% more users, +2% output tokens/s, TTFT p50 20.0 → 90.0 ms',
    )
    expect(s!.best_goodput_at).toBe('concurrency=8')
  })

  it('reports no saturation while throughput keeps scaling, and needs two loads', () => {
    const [s] = analyseSweeps([run('closed', 1, { out: 100 }), run('closed', 2, { out: 185 })])
    expect(s!.saturated_at).toBeNull()
    expect(s!.best_goodput_at).toBeNull()
    expect(analyseSweeps([run('closed', 1, { out: 100 })])).toEqual([])
  })

  it('open loop: saturated below the first rate the server cannot keep up with', () => {
    const [s] = analyseSweeps([
      run('open', 2, { req: 2 }),
      run('open', 4, { req: 3.95 }),
      run('open', 8, { req: 5.1 }),
    ])
    expect(s).toMatchObject({
      mode: 'open',
      saturated_at: 'rate=4',
      reason: 'rate=8: offered 8 requests/s, completed 5.1 requests/s',
    })
    const [low] = analyseSweeps([run('open', 5, { req: 3 }), run('open', 10, { req: 3 })])
    expect(low!.saturated_at).toBe('below the lowest load')
  })

  it('keeps scenarios and modes apart', () => {
    const sweeps = analyseSweeps([
      run('closed', 1, { out: 1 }, 'a'),
      run('closed', 2, { out: 2 }, 'a'),
      run('closed', 1, { out: 1 }, 'b'),
      run('open', 1, { req: 1 }, 'a'),
    ])
    expect(sweeps.map((s) => `${s.scenario}/${s.mode}`)).toEqual(['a/closed'])
  })
})
