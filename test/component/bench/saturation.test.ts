import { mkdtemp, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { benchCommand } from '../../../src/bench/command.js'
import type { Sweep } from '../../../src/bench/sweep.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'

let sim: SimServer | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('load sweeps against a server with a fixed number of sequence slots', () => {
  it('finds where throughput stops growing, and the server shows the queueing', async () => {
    // Four requests generate at once (vLLM's max_num_seqs); the fifth waits for a slot.
    sim = await startSimServer({
      profile: { models: { m: { timing: { ttft_ms: 5, itl_ms: 5, max_running: 4 } } } },
    })
    const out = await mkdtemp(path.join(os.tmpdir(), 'bench-sweep-'))
    const result = await benchCommand.run({
      argv: [
        '--endpoint',
        sim.url,
        '--model',
        'm',
        '--concurrency',
        '1,4,16',
        '--requests',
        '48',
        '--warmup',
        '4',
        '--output-tokens',
        '8',
        '--slo-ttft',
        '40',
        '--out',
        out,
        '--no-calibrate',
      ],
      env: {},
      cwd: process.cwd(),
      stdout: new PassThrough(),
      logger: memoryLogger(),
      signal: new AbortController().signal,
      inAction: false,
    })
    expect(result.exitCode).toBe(0)
    const bench = JSON.parse(await readFile(path.join(out, 'bench.json'), 'utf8')) as {
      sweeps: Sweep[]
      runs: { load: string; server_metrics: { queue_ms: { mean: number } | null } | null }[]
    }
    const [sweep] = bench.sweeps
    expect(sweep).toMatchObject({ scenario: 'default', mode: 'closed' })
    expect(sweep!.points.map((p) => p.x)).toEqual([1, 4, 16])
    // 1 -> 4 users scales (four slots); 4 -> 16 cannot: the extra users only queue.
    expect(sweep!.saturated_at).toBe('concurrency=4')
    expect(sweep!.reason).toContain('concurrency=4 → concurrency=16')
    // Queueing shows on the server: no wait below the slot count, a wait above it.
    const queue = (load: string) =>
      bench.runs.find((r) => r.load === load)!.server_metrics!.queue_ms!.mean
    expect(queue('concurrency=4')).toBeLessThan(queue('concurrency=16'))
    expect(result.summary).toContain('sweep (closed loop): saturated at concurrency=4')
  })
})
