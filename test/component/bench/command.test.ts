import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { actionIo } from '../../../src/action/io.js'
import { benchCommand } from '../../../src/bench/command.js'
import { benchSchema } from '../../../src/contracts/bench.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'

let sim: SimServer | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function run(argv: string[]) {
  const out = await mkdtemp(path.join(os.tmpdir(), 'bench-'))
  const logger = memoryLogger()
  const result = await benchCommand.run({
    argv: [...argv, '--out', out, '--no-calibrate'],
    env: {},
    cwd: process.cwd(),
    stdout: new PassThrough(),
    logger,
    signal: new AbortController().signal,
    inAction: false,
  })
  const bench = benchSchema.parse(JSON.parse(await readFile(path.join(out, 'bench.json'), 'utf8')))
  return { result, bench, logger }
}

describe('llmops bench', () => {
  it('writes bench.json with measured requests only (warmup on top), summaries and validity', async () => {
    sim = await startSimServer({
      profile: { models: { m: { timing: { ttft_ms: 20, itl_ms: 2 } } } },
    })
    const { result, bench } = await run([
      '--endpoint',
      sim.url,
      '--model',
      'm',
      '--concurrency',
      '1,4',
      '--requests',
      '12',
      '--warmup',
      '3',
      '--input-tokens',
      '12',
      '--output-tokens',
      '6',
    ])
    expect(result.exitCode).toBe(0)
    expect(bench.runs.map((r) => r.load)).toEqual(['concurrency=1', 'concurrency=4'])
    expect(bench.requests).toHaveLength(24)
    expect(
      bench.requests.every(
        (r) => r.ok && r.output_tokens === 6 && r.token_source === 'usage_continuous',
      ),
    ).toBe(true)
    // Latencies count from the moment the request was written to the socket (undici's sendHeaders),
    // never before the dispatch: the lag between the two is recorded per request.
    for (const r of bench.requests)
      expect((r as { send_lag_ms?: unknown }).send_lag_ms).toBeGreaterThanOrEqual(0)
    // Probe (1) + per load: warmup 3 + measured 12.
    expect(sim.stats.byPath['POST /v1/chat/completions']).toBe(1 + 2 * 15)
    expect(bench.summary.ttft_ms).toMatchObject({ n: 12, method: 'linear' })
    expect(['valid', 'degraded', 'invalid']).toContain(bench.validity.verdict)
    expect(bench.provenance?.servers.candidate?.name).toBe('llmops-sim')
    expect(result.summary).toContain('| default concurrency=1 | 12 |')
    // Every output is one the benchmark sub-action declares (a workflow reads it by that name).
    expect(result.outputs?.['bench-path']).toMatch(/bench\.json$/)
    for (const key of Object.keys(result.outputs ?? {}))
      expect(Object.keys(actionIo.benchmark.outputs)).toContain(key)
  })

  it('runs an open loop on a seeded schedule and reports schedule lag', async () => {
    sim = await startSimServer({
      profile: { models: { m: { timing: { ttft_ms: 5, itl_ms: 1 } } } },
    })
    const { result, bench } = await run([
      '--endpoint',
      sim.url,
      '--model',
      'm',
      '--rate',
      '40',
      '--burstiness',
      '0.5',
      '--requests',
      '20',
      '--warmup',
      '2',
      '--output-tokens',
      '4',
      '--input-tokens',
      '8',
    ])
    expect(result.exitCode).toBe(0)
    expect(bench.runs[0]).toMatchObject({
      load: 'rate=40',
      mode: 'open',
      rate: 40,
      burstiness: 0.5,
    })
    expect(bench.requests).toHaveLength(20)
    const lags = bench.requests.map((r) => r.schedule_lag_ms!)
    expect(lags.every((l) => typeof l === 'number' && l >= 0)).toBe(true)
    expect(bench.runs[0]!.validity.checks).toContainEqual(
      expect.objectContaining({ name: 'schedule_lag_p99_ms' }),
    )
  })

  it('reads scenarios and the provider from the config file', async () => {
    sim = await startSimServer({
      profile: { models: { 'my-model': { timing: { ttft_ms: 2, itl_ms: 1 } } } },
    })
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-config-'))
    const config = path.join(dir, 'llmops.yml')
    await writeFile(
      config,
      [
        'version: 1',
        'providers:',
        '  candidate: { base_url: "${SIM_URL}", model: my-model }',
        'benchmark:',
        '  scenarios:',
        '    - { name: chat-short, concurrency: [2], requests: 6, warmup: 1, input_tokens: 8, output_tokens: 4, slo: { ttft_ms: 5000 } }',
        '',
      ].join('\n'),
    )
    const out = await mkdtemp(path.join(os.tmpdir(), 'bench-'))
    const result = await benchCommand.run({
      argv: ['--config', config, '--out', out, '--no-calibrate'],
      env: { SIM_URL: sim.url },
      cwd: dir,
      stdout: new PassThrough(),
      logger: memoryLogger(),
      signal: new AbortController().signal,
      inAction: false,
    })
    expect(result.exitCode).toBe(0)
    const bench = benchSchema.parse(
      JSON.parse(await readFile(path.join(out, 'bench.json'), 'utf8')),
    )
    expect(bench.runs[0]).toMatchObject({
      scenario: 'chat-short',
      load: 'concurrency=2',
      slo: { ttft_ms: 5000 },
    })
    expect(bench.runs[0]!.summary.slo_attainment).toBe(1)
    expect(bench.requests).toHaveLength(6)
  })

  it('records stalled, truncated and rejected streams as errors with partial timings', async () => {
    sim = await startSimServer({
      profile: {
        models: {
          m: {
            timing: { ttft_ms: 5, itl_ms: 1 },
            faults: [
              { kind: 'stall', match: 'Request 0-1:', after_chunks: 2 },
              { kind: 'truncate', match: 'Request 0-2:', after_chunks: 3 },
              { kind: '429', match: 'Request 0-3:' },
            ],
          },
        },
      },
    })
    const { result, bench } = await run([
      '--endpoint',
      sim.url,
      '--model',
      'm',
      '--concurrency',
      '2',
      '--requests',
      '6',
      '--warmup',
      '0',
      '--output-tokens',
      '6',
      '--input-tokens',
      '8',
      '--stall',
      '0.5',
    ])
    expect(result.exitCode).toBe(0)
    const byIndex = bench.requests
    expect(byIndex[1]).toMatchObject({ ok: false, error: 'stalled: no bytes for 500 ms' })
    expect(byIndex[1]!.ttft_ms).not.toBeNull()
    expect(byIndex[2]).toMatchObject({ ok: false, error: 'truncated stream (no [DONE])' })
    expect(byIndex[3]).toMatchObject({ ok: false, error: 'http 429', ttft_ms: null })
    expect(bench.requests.filter((r) => r.ok)).toHaveLength(3)
    expect(bench.runs[0]!.summary.error_rate).toBe(0.5)
    expect(bench.validity.verdict).toBe('invalid')
  })

  it('exits 3 after the timeout when the server never answers, writing what it has', async () => {
    const sockets: net.Socket[] = []
    const silent = net.createServer((s) => void sockets.push(s))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
    const port = (silent.address() as net.AddressInfo).port
    try {
      const { result, bench } = await run([
        '--endpoint',
        `http://127.0.0.1:${port}/v1`,
        '--model',
        'm',
        '--timeout',
        '0.5',
      ])
      expect(result.exitCode).toBe(3)
      expect(bench.validity.verdict).toBe('invalid')
      expect(bench.requests).toEqual([])
      expect(bench.validity.reasons[0]).toMatch(/did not answer/)
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise((r) => silent.close(r))
    }
  })

  it('rejects bad flags with exit-2 errors', async () => {
    await expect(
      benchCommand.run({
        argv: ['--model', 'm'],
        env: {},
        cwd: process.cwd(),
        stdout: new PassThrough(),
        logger: memoryLogger(),
        signal: new AbortController().signal,
        inAction: false,
      }),
    ).rejects.toMatchObject({ exitCode: 2 })
    await expect(
      benchCommand.run({
        argv: ['--endpoint', 'http://127.0.0.1:1/v1', '--model', 'm', '--concurrency', '0'],
        env: {},
        cwd: process.cwd(),
        stdout: new PassThrough(),
        logger: memoryLogger(),
        signal: new AbortController().signal,
        inAction: false,
      }),
    ).rejects.toThrow(/positive/)
  })
})
