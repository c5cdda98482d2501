import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { parseEndpoint, requestBody } from '../../../src/bench/probe.js'
import { measureRequest } from '../../../src/bench/request-metrics.js'
import { runBenchmark, type ScenarioSpec } from '../../../src/bench/run.js'
import { newConnection, sendStream } from '../../../src/bench/transport.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'

// Bounds are deliberately generous: this runs on a shared, noisy 2-core machine next to other test
// processes. The precise error figures come from bench/latency-accuracy.ts, not from these tests.
const BOUND_MS = 250

let sim: SimServer | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

const timing = {
  ttft_ms: 40,
  itl_ms: 10,
  tokens_per_chunk: 2,
  role_chunk_ms: 0,
  embed_send_time: true,
  aligned: true,
}
const scenario = (streams: number): ScenarioSpec => ({
  name: 'acc',
  loads: [{ mode: 'closed', concurrency: streams }],
  requests: streams,
  durationS: null,
  warmup: 2,
  inputTokens: 16,
  outputTokens: 8,
  seed: 1,
  slo: undefined,
  dataset: null,
})

describe('timing accuracy against injected truth', () => {
  it.each([1, 64, 512])(
    '%i streams: TTFT and TPOT match the simulator send times; role-only and multi-token chunks handled',
    async (streams) => {
      sim = await startSimServer({ profile: { models: { m: { timing } } } })
      const outcome = await runBenchmark([scenario(streams)], {
        endpoint: parseEndpoint(sim.url, 'm', 'chat'),
        timeoutMs: 60_000,
        stallMs: 30_000,
        workers: null,
        calibrate: false,
        maxErrorRate: 0.01,
        logger: memoryLogger(),
        signal: new AbortController().signal,
      })
      expect(outcome.server).toMatchObject({
        name: 'llmops-sim',
        continuous_usage: true,
        ignore_eos: true,
        tokenize: true,
      })
      const requests = outcome.requests
      expect(requests).toHaveLength(streams)
      for (const r of requests) {
        expect(r.ok).toBe(true)
        expect(r.output_tokens).toBe(8)
        expect(r.token_source).toBe('usage_continuous')
        expect(r.input_tokens).toBeGreaterThan(16)
        expect(r.token_counts).toEqual([2, 2, 2, 2])
        expect(r.itl_ms).toHaveLength(6)
        const truth = r.truth!
        // The first token left the server at least ttft_ms after the role-only chunk: never confuse them.
        expect(truth.ttft_ms!).toBeGreaterThanOrEqual(39)
        expect(r.ttft_ms! - r.ttfb_ms!).toBeGreaterThan(0)
        // A timestamp can never precede the send on the shared monotonic clock.
        expect(r.ttft_ms! - truth.ttft_ms!).toBeGreaterThanOrEqual(0)
      }
      const run = outcome.runs[0]!
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
      const at = (xs: number[], q: number) => xs[Math.floor(q * (xs.length - 1))]!
      const ttftErrors = sorted(requests.map((r) => r.ttft_ms! - r.truth!.ttft_ms!))
      const tpotErrors = sorted(requests.map((r) => Math.abs(r.tpot_ms! - r.truth!.tpot_ms!)))
      expect(at(ttftErrors, 0.5)).toBeLessThan(BOUND_MS / 5)
      // A run the client judged valid must be accurate at p99; when the machine starves the client
      // the run must say so instead (event-loop delay, pauses, utilization). A single outlier can come
      // from the simulator's own thread being descheduled between its send stamp and the write.
      // A run of a few requests is degraded for its sample size alone; its timings must still hold.
      const timingReasons = run.validity.reasons.filter((r) => !/successful requests/.test(r))
      if (timingReasons.length === 0) {
        expect(at(ttftErrors, 0.99)).toBeLessThan(BOUND_MS)
        expect(at(tpotErrors, 0.99)).toBeLessThan(BOUND_MS / 7)
      } else {
        expect(timingReasons.join(' ')).toMatch(/event-loop delay|event-loop paused|busy/)
      }
      expect(run.summary.tokens_per_chunk).toBe(2)
      expect(run.summary.output_tokens.mean).toBe(8)
      expect(run.validity.workers).toBeGreaterThanOrEqual(1)
      expect(run.validity.worker_threads).toBe(true)
    },
  )

  it('uses the final usage chunk when the server sends no continuous usage', async () => {
    sim = await startSimServer({ profile: { models: { m: { timing } } } })
    const endpoint = parseEndpoint(sim.url, 'm', 'chat')
    const transport = {
      origin: endpoint.origin,
      path: endpoint.path,
      headers: endpoint.headers,
      timeoutMs: 10_000,
      stallMs: 10_000,
    }
    const client = newConnection(endpoint.origin, transport)
    const body = JSON.stringify(
      requestBody(endpoint, 'hello there', 8, { continuous_usage: false, ignore_eos: true }),
    )
    const raw = await sendStream(
      client,
      {
        index: 0,
        warmup: false,
        requestId: 'r-0',
        body,
        inputTokens: null,
        requestedOutput: 8,
        tIntended: null,
      },
      transport,
    )
    await client.close()
    const m = measureRequest(raw, { scenario: 's', load: 'l' })
    expect(m).toMatchObject({
      ok: true,
      token_source: 'usage_final',
      output_tokens: 8,
      itl_estimated: true,
    })
    expect(m.ttft_ms! - m.truth!.ttft_ms!).toBeGreaterThanOrEqual(0)
    expect(m.ttft_ms! - m.truth!.ttft_ms!).toBeLessThan(BOUND_MS)
    expect(m.tpot_ms! - m.truth!.tpot_ms!).toBeLessThan(BOUND_MS / 7)
  })
})
