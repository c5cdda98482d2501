import { request } from 'undici'

/**
 * The server's own latency histograms (Prometheus `/metrics`), scraped before and after a run and
 * differenced, as a cross-check of the client's numbers: the server cannot see a token later than it
 * produced it, so a client TTFT below the server's says the client clock is wrong, and a server that
 * finished more requests than we sent was serving someone else during the run.
 */

/** One histogram: cumulative bucket counts by upper bound (seconds), with sum and count. */
export interface Histogram {
  buckets: Map<number, number>
  sum: number
  count: number
}

/** Histogram families of one server kind, by our metric name. */
interface Family {
  ttft: string[]
  itl: string[]
  tpot: string[]
  e2e: string[]
  queue: string[]
}

/** Names as vLLM (v1 engine) and SGLang export them, newest first. */
export const FAMILIES: Record<'vllm' | 'sglang', Family> = {
  vllm: {
    ttft: ['vllm:time_to_first_token_seconds'],
    itl: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'],
    tpot: ['vllm:request_time_per_output_token_seconds'],
    e2e: ['vllm:e2e_request_latency_seconds'],
    queue: ['vllm:request_queue_time_seconds'],
  },
  sglang: {
    ttft: ['sglang:time_to_first_token_seconds'],
    itl: ['sglang:inter_token_latency_seconds', 'sglang:time_per_output_token_seconds'],
    tpot: [],
    e2e: ['sglang:e2e_request_latency_seconds'],
    queue: ['sglang:queue_time_seconds'],
  },
}

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/
const LE = /(?:^|,)\s*le="([^"]*)"/

/**
 * Parses the histograms of a Prometheus text exposition, summing series that differ only in labels
 * other than `le` (engines, models, finish reasons), so one server gives one histogram per name.
 */
export function parseHistograms(text: string): Map<string, Histogram> {
  const out = new Map<string, Histogram>()
  const get = (name: string) => {
    let h = out.get(name)
    if (!h) out.set(name, (h = { buckets: new Map(), sum: 0, count: 0 }))
    return h
  }
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = SAMPLE.exec(line)
    if (!m) continue
    const [, name = '', labels = '', value = ''] = m
    const v = Number(value)
    if (!Number.isFinite(v)) continue
    if (name.endsWith('_bucket')) {
      const le = LE.exec(labels)?.[1]
      if (le === undefined) continue
      const bound = le === '+Inf' ? Infinity : Number(le)
      if (Number.isNaN(bound)) continue
      const h = get(name.slice(0, -'_bucket'.length))
      h.buckets.set(bound, (h.buckets.get(bound) ?? 0) + v)
    } else if (name.endsWith('_sum')) {
      get(name.slice(0, -'_sum'.length)).sum += v
    } else if (name.endsWith('_count')) {
      get(name.slice(0, -'_count'.length)).count += v
    }
  }
  for (const [name, h] of out) if (h.buckets.size === 0) out.delete(name)
  return out
}

/** after − before, bucket by bucket (a reset server gives negative counts: null). */
export function diffHistogram(before: Histogram | undefined, after: Histogram): Histogram | null {
  const buckets = new Map<number, number>()
  for (const [le, c] of after.buckets) {
    const d = c - (before?.buckets.get(le) ?? 0)
    if (d < 0) return null
    buckets.set(le, d)
  }
  const count = after.count - (before?.count ?? 0)
  if (count < 0) return null
  return { buckets, sum: after.sum - (before?.sum ?? 0), count }
}

/**
 * The q-quantile of a histogram as Prometheus' `histogram_quantile` computes it: linear interpolation
 * inside the bucket holding rank q·count, the first bucket starting at 0, and the highest finite bound
 * when the rank falls into +Inf.
 */
export function histogramQuantile(q: number, h: Histogram): number | null {
  const bounds = [...h.buckets.keys()].sort((a, b) => a - b)
  const total = h.buckets.get(Infinity) ?? h.count
  if (total <= 0 || bounds.length === 0) return null
  const rank = q * total
  let prevBound = 0
  let prevCount = 0
  for (const [i, b] of bounds.entries()) {
    const c = h.buckets.get(b)!
    if (c >= rank) {
      if (b === Infinity) return prevBound
      if (i === 0 && b <= 0) return b
      if (c === prevCount) return b
      return prevBound + ((b - prevBound) * (rank - prevCount)) / (c - prevCount)
    }
    prevBound = b
    prevCount = c
  }
  return prevBound
}

/** Server-side figures of one run (ms), from the differenced histograms. */
export interface ServerStat {
  count: number
  mean: number | null
  p50: number | null
  p90: number | null
  p99: number | null
}

/** bench.json `runs[].server_metrics`. */
export interface ServerMetrics {
  source: 'vllm' | 'sglang'
  /** Requests the server finished during the run (e2e histogram count). */
  requests: number
  ttft_ms: ServerStat | null
  itl_ms: ServerStat | null
  tpot_ms: ServerStat | null
  e2e_ms: ServerStat | null
  queue_ms: ServerStat | null
  method: string
}

const r3 = (v: number) => Math.round(v * 1000) / 1000

function stat(h: Histogram | null): ServerStat | null {
  if (!h || h.count <= 0) return null
  const ms = (v: number | null) => (v === null ? null : r3(v * 1000))
  return {
    count: h.count,
    mean: ms(h.sum / h.count),
    p50: ms(histogramQuantile(0.5, h)),
    p90: ms(histogramQuantile(0.9, h)),
    p99: ms(histogramQuantile(0.99, h)),
  }
}

/** Which server kind a scrape belongs to, from the names it exports. */
export function detectSource(snapshot: Map<string, Histogram>): 'vllm' | 'sglang' | null {
  for (const source of ['vllm', 'sglang'] as const)
    if (FAMILIES[source].ttft.some((n) => snapshot.has(n))) return source
  return null
}

/** The run's server-side figures from two scrapes of the same server. */
export function serverMetrics(
  before: Map<string, Histogram>,
  after: Map<string, Histogram>,
): ServerMetrics | null {
  const source = detectSource(after)
  if (!source) return null
  const family = FAMILIES[source]
  const pick = (names: string[]) => {
    const name = names.find((n) => after.has(n))
    return name ? diffHistogram(before.get(name), after.get(name)!) : null
  }
  const e2e = pick(family.e2e)
  return {
    source,
    requests: e2e?.count ?? 0,
    ttft_ms: stat(pick(family.ttft)),
    itl_ms: stat(pick(family.itl)),
    tpot_ms: stat(pick(family.tpot)),
    e2e_ms: stat(e2e),
    queue_ms: stat(pick(family.queue)),
    method:
      'difference of the server histograms scraped before and after the run; mean = sum/count (exact), percentiles interpolated within buckets as Prometheus histogram_quantile does',
  }
}

/** One scrape of `<origin>/metrics`; null when the server has none or exports no known family. */
export async function scrapeHistograms(
  origin: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Map<string, Histogram> | null> {
  try {
    const res = await request(`${origin}/metrics`, {
      method: 'GET',
      headers: { ...headers, accept: 'text/plain' },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    })
    const text = await res.body.text()
    if (res.statusCode !== 200) return null
    const snapshot = parseHistograms(text)
    return detectSource(snapshot) ? snapshot : null
  } catch {
    return null
  }
}
