import { describe, expect, it } from 'vitest'
import {
  diffHistogram,
  histogramQuantile,
  parseHistograms,
  serverMetrics,
  type Histogram,
} from '../../../src/bench/server-metrics.js'
import { judgeValidity } from '../../../src/bench/validity.js'
import { SimMetrics } from '../../../src/sim/metrics.js'

const hist = (pairs: [number, number][], sum = 0): Histogram => ({
  buckets: new Map(pairs),
  sum,
  count: pairs.at(-1)![1],
})

const VLLM = `# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="a"} 3
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.2",model_name="a"} 4
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="a"} 4
vllm:time_to_first_token_seconds_count{engine="0",model_name="a"} 4
vllm:time_to_first_token_seconds_sum{engine="0",model_name="a"} 0.35
vllm:time_to_first_token_seconds_bucket{engine="1",le="0.1",model_name="a"} 1
vllm:time_to_first_token_seconds_bucket{engine="1",le="0.2",model_name="a"} 2
vllm:time_to_first_token_seconds_bucket{engine="1",le="+Inf",model_name="a"} 2
vllm:time_to_first_token_seconds_count{engine="1",model_name="a"} 2
vllm:time_to_first_token_seconds_sum{engine="1",model_name="a"} 0.25
vllm:num_requests_running{engine="0",model_name="a"} 0.0
`

describe('parseHistograms', () => {
  it('sums the series of one histogram across engines and ignores gauges and comments', () => {
    const h = parseHistograms(VLLM).get('vllm:time_to_first_token_seconds')!
    expect([...h.buckets]).toEqual([
      [0.1, 4],
      [0.2, 6],
      [Infinity, 6],
    ])
    expect(h.count).toBe(6)
    expect(h.sum).toBeCloseTo(0.6, 12)
    expect(parseHistograms(VLLM).has('vllm:num_requests_running')).toBe(false)
  })

  it('reads what the simulator exports', () => {
    const m = new SimMetrics()
    const o = m.request('tiny', 0n)
    o.tokens(1, 30_000_000n)
    o.tokens(1, 50_000_000n)
    o.tokens(2, 90_000_000n)
    o.end(true, 95_000_000n)
    const parsed = parseHistograms(m.render())
    const ttft = parsed.get('vllm:time_to_first_token_seconds')!
    expect(ttft.count).toBe(1)
    expect(ttft.sum).toBeCloseTo(0.03, 12)
    expect(ttft.buckets.get(0.04)).toBe(1)
    expect(ttft.buckets.get(0.02)).toBe(0)
    const itl = parsed.get('vllm:inter_token_latency_seconds')!
    expect(itl.count).toBe(2)
    expect(itl.sum).toBeCloseTo(0.06, 12)
    // TPOT per request: (last - first) / (N - 1) = 60 ms / 3.
    expect(parsed.get('vllm:request_time_per_output_token_seconds')!.sum).toBeCloseTo(0.02, 12)
    expect(parsed.get('vllm:e2e_request_latency_seconds')!.sum).toBeCloseTo(0.095, 12)
  })
})

describe('histogramQuantile (Prometheus semantics)', () => {
  const h = hist([
    [0.1, 10],
    [0.2, 20],
    [0.4, 20],
    [Infinity, 20],
  ])
  it('interpolates linearly inside the bucket holding the rank, the first bucket from 0', () => {
    expect(histogramQuantile(0.5, h)).toBeCloseTo(0.1, 12)
    expect(histogramQuantile(0.25, h)).toBeCloseTo(0.05, 12)
    expect(histogramQuantile(0.75, h)).toBeCloseTo(0.15, 12)
  })
  it('returns the highest finite bound when the rank lies in +Inf', () => {
    const tail = hist([
      [0.1, 10],
      [Infinity, 20],
    ])
    expect(histogramQuantile(0.99, tail)).toBe(0.1)
  })
  it('has no quantile for an empty histogram', () => {
    expect(histogramQuantile(0.5, hist([[Infinity, 0]]))).toBeNull()
  })
})

describe('diffHistogram and serverMetrics', () => {
  it('differences two scrapes and refuses a counter reset', () => {
    const before = hist([
      [0.1, 5],
      [Infinity, 6],
    ])
    const after = hist([
      [0.1, 7],
      [Infinity, 10],
    ])
    expect(diffHistogram(before, after)).toEqual({
      buckets: new Map([
        [0.1, 2],
        [Infinity, 4],
      ]),
      sum: 0,
      count: 4,
    })
    expect(diffHistogram(after, before)).toBeNull()
  })

  it('reports the run window in ms, with the requests the server finished', () => {
    const sim = new SimMetrics()
    const before = parseHistograms(sim.render())
    for (let i = 0; i < 4; i++) {
      const o = sim.request('m', 0n)
      o.tokens(1, 20_000_000n)
      o.tokens(1, 40_000_000n)
      o.end(true, 41_000_000n)
    }
    const s = serverMetrics(before, parseHistograms(sim.render()))!
    expect(s.source).toBe('vllm')
    expect(s.requests).toBe(4)
    expect(s.ttft_ms).toMatchObject({ count: 4, mean: 20 })
    expect(s.itl_ms).toMatchObject({ count: 4, mean: 20 })
    expect(s.e2e_ms).toMatchObject({ count: 4, mean: 41 })
    expect(s.queue_ms).toBeNull()
  })

  it('reads SGLang names, including the older time_per_output_token name for ITL', () => {
    const text = [
      'sglang:time_to_first_token_seconds_bucket{le="0.5"} 2',
      'sglang:time_to_first_token_seconds_bucket{le="+Inf"} 2',
      'sglang:time_to_first_token_seconds_sum 0.4',
      'sglang:time_to_first_token_seconds_count 2',
      'sglang:time_per_output_token_seconds_bucket{le="0.05"} 10',
      'sglang:time_per_output_token_seconds_bucket{le="+Inf"} 10',
      'sglang:time_per_output_token_seconds_sum 0.3',
      'sglang:time_per_output_token_seconds_count 10',
    ].join('\n')
    const s = serverMetrics(new Map(), parseHistograms(text))!
    expect(s.source).toBe('sglang')
    expect(s.ttft_ms?.mean).toBe(200)
    expect(s.itl_ms?.mean).toBe(30)
  })

  it('is null for a server without a known family', () => {
    expect(serverMetrics(new Map(), parseHistograms('foo_bucket{le="+Inf"} 1\n'))).toBeNull()
  })
})

describe('validity cross-checks against the server', () => {
  const base = {
    requests: [],
    reports: [],
    threads: true,
    mode: 'closed' as const,
    meanInterArrivalMs: null,
    calibration: null,
    slo: undefined,
    fixedOutput: false,
    maxErrorRate: 0.01,
  }
  const server = (requests: number, ttftMean: number) => ({
    source: 'vllm' as const,
    requests,
    ttft_ms: { count: requests, mean: ttftMean, p50: null, p90: null, p99: null },
    itl_ms: null,
    tpot_ms: null,
    e2e_ms: null,
    queue_ms: null,
    method: '',
  })
  const check = (v: ReturnType<typeof judgeValidity>, name: string) =>
    v.checks.find((c) => c.name === name)

  it('flags other traffic on the server and a client TTFT below the server’s own', () => {
    const v = judgeValidity({ ...base, server: server(30, 50), clientTtftMeanMs: 45 })
    expect(check(v, 'server_other_traffic')).toMatchObject({ value: 30, status: 'degraded' })
    expect(check(v, 'ttft_client_minus_server_ms')).toMatchObject({ value: -5, status: 'degraded' })
    expect(v.reasons.join('\n')).toContain(
      'the server finished 30 requests during the run, we sent 0',
    )
  })

  it('accepts a client TTFT above the server’s and no extra requests', () => {
    const v = judgeValidity({ ...base, server: server(2, 50), clientTtftMeanMs: 51.5 })
    expect(check(v, 'server_other_traffic')?.status).toBe('ok')
    expect(check(v, 'ttft_client_minus_server_ms')).toMatchObject({ value: 1.5, status: 'ok' })
  })
})
