import { mkdtemp, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { benchCommand } from '../../../src/bench/command.js'
import { scrapeHistograms } from '../../../src/bench/server-metrics.js'
import { benchSchema } from '../../../src/contracts/bench.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'

let sim: SimServer | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function bench(argv: string[]) {
  const out = await mkdtemp(path.join(os.tmpdir(), 'bench-server-'))
  const result = await benchCommand.run({
    argv: [...argv, '--out', out, '--no-calibrate'],
    env: {},
    cwd: process.cwd(),
    stdout: new PassThrough(),
    logger: memoryLogger(),
    signal: new AbortController().signal,
    inAction: false,
  })
  const json = JSON.parse(await readFile(path.join(out, 'bench.json'), 'utf8')) as {
    runs: {
      server_metrics: {
        source: string
        requests: number
        ttft_ms: { mean: number; count: number }
        itl_ms: { mean: number; count: number }
        e2e_ms: { count: number }
      } | null
      summary: { ttft_ms: { mean: number } }
      validity: { checks: { name: string; value: number | null; status: string }[] }
    }[]
  }
  benchSchema.parse(json)
  return { result, json }
}

const args = (url: string) => [
  '--endpoint',
  url,
  '--model',
  'm',
  '--concurrency',
  '4',
  '--requests',
  '24',
  '--warmup',
  '4',
  '--output-tokens',
  '5',
]

describe('server-side cross-check (Prometheus /metrics)', () => {
  it("differences the server's histograms around the run: its requests, its TTFT below ours", async () => {
    sim = await startSimServer({
      profile: { models: { m: { timing: { ttft_ms: 30, itl_ms: 10 } } } },
    })
    const { result, json } = await bench(args(sim.url))
    expect(result.exitCode).toBe(0)
    const run = json.runs[0]!
    const server = run.server_metrics!
    expect(server.source).toBe('vllm')
    // Warmup and the capability probe happened before the first scrape: only measured requests count.
    expect(server.requests).toBe(24)
    expect(server.ttft_ms.count).toBe(24)
    // The simulator writes the first token 30 ms after arrival (its timer may fire up to 0.5 ms
    // early), and the client cannot see it before the server sent it.
    expect(server.ttft_ms.mean).toBeGreaterThanOrEqual(29.5)
    expect(run.summary.ttft_ms.mean).toBeGreaterThanOrEqual(server.ttft_ms.mean - 1)
    // One inter-token gap per token after the first: 24 requests x (5 - 1).
    expect(server.itl_ms.count).toBe(96)
    const checks = Object.fromEntries(run.validity.checks.map((c) => [c.name, c]))
    expect(checks.server_other_traffic).toMatchObject({ value: 0, status: 'ok' })
    expect(checks.ttft_client_minus_server_ms?.status).toBe('ok')
    expect(result.summary).toContain("server's own vllm /metrics: TTFT mean")
  })

  it('marks the run degraded when other clients use the server during the run', async () => {
    sim = await startSimServer({
      profile: { models: { m: { timing: { ttft_ms: 5, itl_ms: 20 } } } },
    })
    const url = sim.url
    let stop = false
    // Another tenant: short requests back to back for as long as the benchmark runs.
    const tenant = (async () => {
      let n = 0
      while (!stop) {
        const res = await request(`${url}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'm',
            messages: [{ role: 'user', content: 'hi' }],
            max_tokens: 1,
          }),
        })
        await res.body.text()
        n++
      }
      return n
    })()
    const { json } = await bench(args(url))
    stop = true
    const others = await tenant
    expect(others).toBeGreaterThan(3)
    const run = json.runs[0]!
    expect(run.server_metrics!.requests).toBeGreaterThan(24 + 2)
    const check = run.validity.checks.find((c) => c.name === 'server_other_traffic')
    expect(check?.status).toBe('degraded')
  })

  it('finds nothing on a server whose /metrics is missing or has no latency histograms', async () => {
    const plain = createServer((req, res) => {
      if (req.url === '/metrics') res.writeHead(200).end('process_cpu_seconds_total 1.5\n')
      else res.writeHead(404).end()
    })
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()))
    const { port } = plain.address() as AddressInfo
    try {
      expect(await scrapeHistograms(`http://127.0.0.1:${port}`, {}, 2000)).toBeNull()
      expect(await scrapeHistograms(`http://127.0.0.1:${port}/nothing`, {}, 2000)).toBeNull()
    } finally {
      plain.close()
    }
  })

  it('is off with --no-server-metrics', async () => {
    sim = await startSimServer({ profile: { models: { m: { timing: { ttft_ms: 1 } } } } })
    const off = await bench([...args(sim.url), '--no-server-metrics'])
    expect(off.json.runs[0]!.server_metrics).toBeNull()
    expect(off.json.runs[0]!.validity.checks.map((c) => c.name)).not.toContain(
      'server_other_traffic',
    )
  })
})
