import { percentile } from '../stats/percentile.js'
import type { Slo } from './aggregate.js'
import type { MeasuredRequest } from './request-metrics.js'
import type { WorkerReport } from './runner-core.js'
import type { ServerMetrics } from './server-metrics.js'

/** The client's own timing error measured against a loopback simulator before the run. */
export interface Calibration {
  streams: number
  events: number
  delay_p50_ms: number
  delay_p99_ms: number
  cpu_per_event_us: number
}

/** One validity check: its measured value, its budget and what breaking it costs. */
export interface ValidityCheck {
  name: string
  value: number | null
  budget: string
  status: 'ok' | 'degraded' | 'invalid'
}

/** bench.json `validity`: only a valid run may fail a gate. */
export interface Validity {
  verdict: 'valid' | 'degraded' | 'invalid'
  reasons: string[]
  client_lag_ms: number | null
  checks: ValidityCheck[]
  workers: number
  worker_threads: boolean
  /** Client thread time (event-loop active time) per received chunk. */
  cpu_per_event_us: number | null
  /** Garbage collection in the client threads during the run: total and longest pause (ms). */
  client_gc_ms: { total: number; max: number } | null
  calibration: Calibration | null
}

const r3 = (v: number) => Math.round(v * 1000) / 1000

/**
 * Judges a run from the client's own measurements (docs/bench.md, "Validity"): event-loop delay and
 * utilization per worker, schedule lag, errors, token provenance, fixed output length, sample size and
 * the calibration floor against the smallest SLO.
 */
export function judgeValidity(input: {
  requests: readonly MeasuredRequest[]
  reports: readonly WorkerReport[]
  threads: boolean
  mode: 'closed' | 'open'
  meanInterArrivalMs: number | null
  calibration: Calibration | null
  slo: Slo | undefined
  fixedOutput: boolean
  maxErrorRate: number
  /** The server's own histograms for this run, when it exports them. */
  server?: ServerMetrics | null
  clientTtftMeanMs?: number | null
}): Validity {
  const checks: ValidityCheck[] = []
  const reasons: string[] = []
  const add = (
    name: string,
    value: number | null,
    budget: string,
    status: ValidityCheck['status'],
    reason: string,
  ) => {
    checks.push({ name, value: value === null ? null : r3(value), budget, status })
    if (status !== 'ok') reasons.push(`${status}: ${reason}`)
  }
  const grade = (value: number, degraded: number, invalid: number): ValidityCheck['status'] =>
    value > invalid ? 'invalid' : value > degraded ? 'degraded' : 'ok'

  const n = input.requests.length
  const failed = input.requests.filter((r) => !r.ok).length
  const errorRate = n > 0 ? failed / n : 1
  add(
    'error_rate',
    errorRate,
    `<= ${input.maxErrorRate}`,
    n === 0 ? 'invalid' : grade(errorRate, input.maxErrorRate, 0.2),
    `${failed} of ${n} requests failed`,
  )

  const loop = Math.max(0, ...input.reports.map((r) => r.loopDelayP99Ms))
  add(
    'event_loop_delay_p99_ms',
    loop,
    '<= 1 ms',
    grade(loop, 1, 10),
    `client event-loop delay p99 ${r3(loop)} ms`,
  )
  // A single long pause (GC, the OS descheduling the thread) barely moves the p99 of a 1 ms sampler
  // but delays every stamp that falls inside it.
  const pause = Math.max(0, ...input.reports.map((r) => r.loopDelayMaxMs))
  add(
    'event_loop_delay_max_ms',
    pause,
    '<= 10 ms',
    grade(pause, 10, 100),
    `client event-loop paused for ${r3(pause)} ms`,
  )

  const utilization = Math.max(0, ...input.reports.map((r) => r.utilization))
  add(
    'client_utilization',
    utilization,
    '<= 0.3 per worker',
    grade(utilization, 0.3, 0.9),
    `a client thread was busy ${Math.round(utilization * 100)}% of the run`,
  )

  if (input.mode === 'open') {
    const lags = input.requests
      .map((r) => r.schedule_lag_ms)
      .filter((v): v is number => v !== null && v !== undefined)
    const lag = lags.length > 0 ? percentile(lags, 99) : 0
    const budget = Math.max(1, 0.01 * (input.meanInterArrivalMs ?? 0))
    add(
      'schedule_lag_p99_ms',
      lag,
      `<= ${r3(budget)} ms`,
      grade(lag, budget, budget * 10),
      `sends lagged their schedule by ${r3(lag)} ms at p99`,
    )
  }

  const ok = input.requests.filter((r) => r.ok)
  const withUsage = ok.filter(
    (r) => r.token_source === 'usage_final' || r.token_source === 'usage_continuous',
  ).length
  const share = ok.length > 0 ? withUsage / ok.length : 0
  add(
    'usage_share',
    share,
    '= 1',
    share < 1 && ok.length > 0 ? 'degraded' : 'ok',
    `${ok.length - withUsage} requests had no server usage (token counts estimated)`,
  )

  if (input.fixedOutput) {
    const off = ok.filter(
      (r) => r.requested_output_tokens !== null && r.output_tokens !== r.requested_output_tokens,
    ).length
    add(
      'fixed_output_mismatch',
      off,
      '= 0',
      off > 0 ? 'degraded' : 'ok',
      `${off} requests did not produce the requested output length`,
    )
  }

  add(
    'sample_size',
    ok.length,
    '>= 20',
    ok.length < 20 ? 'degraded' : 'ok',
    `only ${ok.length} successful requests`,
  )

  if (!input.threads && input.requests.length > 0) {
    add(
      'worker_threads',
      0,
      'available',
      'degraded',
      'no worker threads: the client ran on the main thread',
    )
  }

  const c = input.calibration
  if (c) {
    const smallest = Math.min(
      ...[input.slo?.ttft_ms, input.slo?.tpot_ms, input.slo?.e2e_ms].filter(
        (v): v is number => v !== undefined,
      ),
    )
    if (Number.isFinite(smallest)) {
      add(
        'calibration_floor_p99_ms',
        c.delay_p99_ms,
        `<= ${r3(0.1 * smallest)} ms (10% of the smallest SLO)`,
        c.delay_p99_ms > 0.1 * smallest ? 'degraded' : 'ok',
        `loopback timing error p99 ${r3(c.delay_p99_ms)} ms exceeds 10% of the smallest SLO`,
      )
    }
  }
  const server = input.server
  if (server) {
    // The server finished more requests than we sent: someone else's traffic shared it.
    const extra = server.requests - n
    add(
      'server_other_traffic',
      extra,
      `<= max(2, 2% of ${n}) requests`,
      extra > Math.max(2, 0.02 * n) ? 'degraded' : 'ok',
      `the server finished ${server.requests} requests during the run, we sent ${n}`,
    )
    const serverTtft = server.ttft_ms?.mean
    const clientTtft = input.clientTtftMeanMs
    if (typeof serverTtft === 'number' && typeof clientTtft === 'number') {
      // A client cannot see a token before the server made it; 1 ms allows for rounding.
      const gap = clientTtft - serverTtft
      add(
        'ttft_client_minus_server_ms',
        gap,
        '>= -1 ms',
        gap < -1 ? 'degraded' : 'ok',
        `client TTFT mean ${r3(clientTtft)} ms is below the server's own ${r3(serverTtft)} ms`,
      )
    }
  }

  const verdict = checks.some((k) => k.status === 'invalid')
    ? 'invalid'
    : checks.some((k) => k.status === 'degraded')
      ? 'degraded'
      : 'valid'
  const events = input.reports.reduce((sum, r) => sum + r.events, 0)
  const busy = input.reports.reduce((sum, r) => sum + r.busyMs, 0)
  return {
    verdict,
    reasons,
    client_lag_ms: r3(loop),
    checks,
    workers: input.reports.length,
    worker_threads: input.threads,
    cpu_per_event_us: events > 0 ? Math.round((busy / events) * 1e4) / 10 : null,
    client_gc_ms:
      input.reports.length > 0
        ? {
            total: r3(input.reports.reduce((sum, r) => sum + r.gcPauseMs, 0)),
            max: r3(Math.max(...input.reports.map((r) => r.gcMaxMs))),
          }
        : null,
    calibration: c,
  }
}
