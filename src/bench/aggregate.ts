import { bootstrapStatistic } from '../stats/bootstrap.js'
import { clusterBootstrap } from '../stats/cluster-bootstrap.js'
import { quantileSorted, sortedFinite } from '../stats/percentile.js'
import type { MeasuredRequest } from './request-metrics.js'

/** Service-level objectives of a scenario (ms). */
export interface Slo {
  ttft_ms?: number | undefined
  tpot_ms?: number | undefined
  e2e_ms?: number | undefined
}

/** Quantiles we report, and the fewest samples each needs: n >= 10 / (1 - q), so ~10 samples lie beyond it. */
export const QUANTILES = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 } as const
export type QuantileName = keyof typeof QUANTILES
export const minSamples = (q: number) => Math.ceil(10 / (1 - q) - 1e-9)

/** Mean and percentiles of one metric, with the method, n, bootstrap CIs, and percentiles refused for small n. */
export interface Percentiles {
  n: number
  mean: number | null
  p50: number | null
  p90: number | null
  p95: number | null
  p99: number | null
  method: 'linear'
  refused: QuantileName[]
  ci95?: Record<string, [number, number] | null>
  /** Pooled per-token metrics: the requests the values come from, resampled whole for the CIs. */
  clusters?: number
  /** Pooled per-token metrics: independent values worth as much as these correlated ones (mean). */
  effective_n?: number
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4

/**
 * Mean and linear-interpolation percentiles (numpy's default, as vLLM, SGLang, GenAI-Perf and AIPerf)
 * of a sample. With `ci`, percentile-bootstrap 95% intervals (resampling requests) for each statistic.
 */
export function describe(
  values: readonly number[],
  options: { ci?: boolean; resamples?: number; seed?: number } = {},
): Percentiles {
  const sorted = sortedFinite(values)
  const n = sorted.length
  const out: Percentiles = {
    n,
    mean: null,
    p50: null,
    p90: null,
    p95: null,
    p99: null,
    method: 'linear',
    refused: [],
  }
  if (n === 0) return out
  let sum = 0
  for (const v of sorted) sum += v
  out.mean = r4(sum / n)
  for (const [name, q] of Object.entries(QUANTILES) as [QuantileName, number][]) {
    if (n < minSamples(q)) out.refused.push(name)
    else out[name] = r4(quantileSorted(sorted, q))
  }
  if (options.ci && n >= 2) {
    const opts = { resamples: options.resamples ?? 1000, seed: options.seed ?? 1 }
    const ci: Record<string, [number, number] | null> = {}
    ci.mean = bootstrapStatistic(
      sorted,
      (s) => s.reduce((a, b) => a + b, 0) / s.length,
      opts,
    ).ci.map(r4) as [number, number]
    for (const [name, q] of Object.entries(QUANTILES) as [QuantileName, number][]) {
      ci[name] =
        out[name] === null
          ? null
          : (bootstrapStatistic(sorted, (s) => quantileSorted(s.sort(), q), opts).ci.map(r4) as [
              number,
              number,
            ])
    }
    out.ci95 = ci
  }
  return out
}

/**
 * {@link describe} for values pooled over requests (per-token ITL, per-chunk gaps): the gaps of one
 * request are correlated, so the CIs come from a cluster bootstrap that resamples whole requests, and
 * `effective_n` says how many independent values they are worth.
 */
export function describePooled(
  groups: readonly (readonly number[])[],
  options: { resamples?: number; seed?: number } = {},
): Percentiles {
  const out = describe(groups.flat())
  const names = (Object.keys(QUANTILES) as QuantileName[]).filter((q) => out[q] !== null)
  const boot = clusterBootstrap(
    groups,
    names.map((q) => QUANTILES[q]),
    { resamples: options.resamples ?? 1000, seed: options.seed ?? 1 },
  )
  if (!boot) return out
  const ci: Record<string, [number, number] | null> = {
    mean: boot.mean.ci.map(r4) as [number, number],
  }
  for (const q of Object.keys(QUANTILES) as QuantileName[]) {
    const j = names.indexOf(q)
    ci[q] = j < 0 ? null : (boot.quantiles[j]!.ci.map(r4) as [number, number])
  }
  return { ...out, ci95: ci, clusters: boot.clusters, effective_n: boot.effective_n }
}

/** Whether a request met every SLO (a missing TPOT, N <= 1, is not judged). */
export function meetsSlo(r: MeasuredRequest, slo: Slo | undefined): boolean {
  if (!r.ok) return false
  if (!slo) return true
  if (slo.ttft_ms !== undefined && (r.ttft_ms === null || r.ttft_ms > slo.ttft_ms)) return false
  if (slo.tpot_ms !== undefined && r.tpot_ms !== null && r.tpot_ms > slo.tpot_ms) return false
  if (slo.e2e_ms !== undefined && (r.e2e_ms === null || r.e2e_ms > slo.e2e_ms)) return false
  return true
}

/** The interval throughput is computed over. */
export interface Window {
  kind: 'steady' | 'makespan'
  start: number
  end: number
}

/**
 * Steady window: closed loop from the send of the C-th measured request (every user busy) to the last
 * send (drain starts); open loop from the first to the last send. Falls back to the makespan
 * (first send to last byte) when that window is empty.
 */
export function throughputWindows(
  requests: readonly MeasuredRequest[],
  concurrency: number | null,
): { steady: Window; makespan: Window } {
  const sends = requests.map((r) => r.t_send).sort((a, b) => a - b)
  const ends = requests.map((r) => r.t_end ?? r.t_send)
  const makespan: Window = {
    kind: 'makespan',
    start: sends[0] ?? 0,
    end: Math.max(...ends, sends.at(-1) ?? 0),
  }
  const start = concurrency !== null ? sends[concurrency - 1] : sends[0]
  const end = sends.at(-1)
  if (
    start === undefined ||
    end === undefined ||
    end - start <= 0 ||
    (concurrency !== null && requests.length <= concurrency)
  ) {
    return { steady: makespan, makespan }
  }
  return { steady: { kind: 'steady', start, end }, makespan }
}

/** Request, token and good-request rates (per second) within a window. */
export function rates(requests: readonly MeasuredRequest[], window: Window, slo: Slo | undefined) {
  const seconds = (window.end - window.start) / 1000
  let completed = 0
  let good = 0
  let outputTokens = 0
  let inputTokens = 0
  for (const r of requests) {
    const inWindow = r.t_end !== null && r.t_end >= window.start && r.t_end <= window.end
    if (r.ok && inWindow) {
      completed++
      inputTokens += r.input_tokens ?? 0
      if (meetsSlo(r, slo)) good++
    }
    r.token_times.forEach((t, j) => {
      if (t >= window.start && t <= window.end) outputTokens += r.token_counts[j] ?? 0
    })
  }
  const per = (v: number) => (seconds > 0 ? r4(v / seconds) : null)
  return {
    window: window.kind,
    window_s: r4(seconds),
    request_throughput: per(completed),
    output_throughput: per(outputTokens),
    total_token_throughput: per(outputTokens + inputTokens),
    goodput: per(good),
  }
}

/** Every summary figure of one run (bench.json `runs[].summary`). */
export function summarize(
  requests: readonly MeasuredRequest[],
  options: { concurrency: number | null; slo?: Slo | undefined; seed?: number },
) {
  const ok = requests.filter((r) => r.ok)
  const pick = (key: 'ttft_ms' | 'tpot_ms' | 'e2e_ms' | 'ttfb_ms' | 'ttfo_ms' | 'done_ms') =>
    ok.map((r) => r[key]).filter((v): v is number => v !== null)
  const seed = options.seed ?? 1
  const { steady, makespan } = throughputWindows(requests, options.concurrency)
  const good = requests.filter((r) => meetsSlo(r, options.slo)).length
  const tokenEvents = ok.reduce((s, r) => s + r.token_times.length, 0)
  const outputTokens = ok.reduce((s, r) => s + (r.output_tokens ?? 0), 0)
  const e2eSum = ok.reduce((s, r) => s + (r.e2e_ms ?? 0), 0)
  return {
    ttft_ms: describe(pick('ttft_ms'), { ci: true, seed }),
    tpot_ms: describe(pick('tpot_ms'), { ci: true, seed }),
    e2e_ms: describe(pick('e2e_ms'), { ci: true, seed }),
    ttfb_ms: describe(pick('ttfb_ms')),
    ttfo_ms: describe(pick('ttfo_ms')),
    done_ms: describe(pick('done_ms')),
    itl_ms: describePooled(
      ok.map((r) => r.itl_ms),
      { seed },
    ),
    icl_ms: describePooled(
      ok.map((r) => r.icl_ms ?? []),
      { seed },
    ),
    output_tokens: describe(ok.map((r) => r.output_tokens ?? 0)),
    requests: requests.length,
    completed: ok.length,
    errors: requests.length - ok.length,
    error_rate: requests.length > 0 ? r4((requests.length - ok.length) / requests.length) : null,
    ...rates(requests, steady, options.slo),
    makespan_s: r4((makespan.end - makespan.start) / 1000),
    request_throughput_makespan: rates(requests, makespan, options.slo).request_throughput,
    output_throughput_makespan: rates(requests, makespan, options.slo).output_throughput,
    slo_attainment: requests.length > 0 ? r4(good / requests.length) : null,
    mean_concurrency:
      makespan.end > makespan.start ? r4(e2eSum / (makespan.end - makespan.start)) : null,
    tokens_per_chunk: tokenEvents > 0 ? r4(outputTokens / tokenEvents) : null,
  }
}
export type RunSummary = ReturnType<typeof summarize>
