import type { BenchRequest } from '../contracts/bench.js'
import { parseTimeline, type RawStream, type StreamEvent } from './timeline.js'

/** What the transport records for one request. Times are monotonic ms (see timeline.nowMs). */
export interface RawResult {
  index: number
  warmup: boolean
  requestId: string
  tIntended: number | null
  /** When the request's bytes went to the socket (the reference of every latency). */
  tSend: number
  /** When it was handed to the HTTP client; absent where the two are the same. */
  tDispatch?: number
  tHeaders: number | null
  status: number | null
  /** Transport-level failure: connection error, timeout, stall. */
  error: string | null
  raw: RawStream
  inputTokens: number | null
  requestedOutput: number | null
}

/** Per-request measurements plus what aggregation needs beyond the bench.json record. */
export interface MeasuredRequest extends BenchRequest {
  index: number
  warmup: boolean
  t_send: number
  t_end: number | null
  /** Token events: arrival time and tokens carried (exact with continuous usage, else estimated). */
  token_times: number[]
  token_counts: number[]
  itl_estimated: boolean
  /** Set when the server embeds its send times (the simulator): the same metrics from true send times. */
  truth: {
    ttft_ms: number | null
    tpot_ms: number | null
    e2e_ms: number | null
    event_delay_ms: number[]
  } | null
}

function tokenCounts(tokens: StreamEvent[], events: StreamEvent[], total: number | null) {
  const continuous = tokens.length > 0 && tokens.every((e) => e.cumulative !== null)
  if (continuous) {
    let previous = 0
    for (const e of events) {
      if (e === tokens[0]) break
      if (e.cumulative !== null) previous = e.cumulative
    }
    const counts = tokens.map((e) => {
      const k = (e.cumulative ?? previous) - previous
      previous = e.cumulative ?? previous
      return k
    })
    return { counts, source: 'usage_continuous' as const, estimated: false }
  }
  if (total !== null && tokens.length > 0) {
    return {
      counts: tokens.map(() => total / tokens.length),
      source: 'usage_final' as const,
      estimated: total !== tokens.length,
    }
  }
  return {
    counts: tokens.map(() => 1),
    source: tokens.length > 0 ? ('chunk_count' as const) : null,
    estimated: true,
  }
}

/** Per-token ITL samples: each gap between token events j-1 and j becomes k_j samples of gap / k_j. */
export function itlSamples(times: readonly number[], counts: readonly number[]): number[] {
  const out: number[] = []
  for (let j = 1; j < times.length; j++) {
    const k = counts[j] ?? 1
    if (k <= 0) continue
    const gap = (times[j]! - times[j - 1]!) / k
    const copies = Math.max(1, Math.round(k))
    for (let c = 0; c < copies; c++) out.push(gap)
  }
  return out
}

const round = (v: number | null) =>
  v === null || !Number.isFinite(v) ? null : Math.round(v * 1e4) / 1e4

/** Computes TTFB, TTFT, TTFO, TPOT, E2E, ITL and ICL of one request (definitions in docs/bench.md). */
export function measureRequest(
  result: RawResult,
  labels: { scenario: string; load: string },
): MeasuredRequest {
  const { events, trailingPartial } = parseTimeline(result.raw)
  const tokens = events.filter((e) => e.kind === 'token')
  const first = tokens[0]
  const last = tokens.at(-1)
  const firstContent = tokens.find((e) => e.content)
  const done = events.find((e) => e.kind === 'done')
  const usageEvents = events.filter((e) => e.cumulative !== null)
  const total = usageEvents.at(-1)?.cumulative ?? null
  const promptTokens =
    events.find((e) => e.promptTokens !== null)?.promptTokens ?? result.inputTokens
  const { counts, source, estimated } = tokenCounts(tokens, events, total)
  const n = total ?? (tokens.length > 0 ? tokens.length : null)
  const times = tokens.map((e) => e.t)
  const since = (t: number | undefined) => (t === undefined ? null : t - result.tSend)
  const tpot = first && last && n !== null && n > 1 ? (last.t - first.t) / (n - 1) : null

  let error = result.error
  if (error === null && result.status !== 200) error = `http ${result.status ?? 'no response'}`
  const serverError = events.find((e) => e.kind === 'error')
  if (error === null && serverError) error = `server error event: ${serverError.message ?? ''}`
  const malformed = events.find((e) => e.kind === 'malformed')
  if (error === null && malformed)
    error =
      trailingPartial && !done
        ? 'truncated stream (incomplete event, no [DONE])'
        : 'malformed SSE event'
  if (error === null && !done) error = 'truncated stream (no [DONE])'

  const withSent = events.filter((e) => e.sent !== null && e.kind !== 'malformed')
  const truth =
    withSent.length > 0 &&
    withSent.length ===
      events.filter((e) => e.kind !== 'malformed' && e.kind !== 'done' && e.kind !== 'comment')
        .length
      ? {
          ttft_ms: round(first?.sent != null ? first.sent - result.tSend : null),
          tpot_ms: round(
            first?.sent != null && last?.sent != null && n !== null && n > 1
              ? (last.sent - first.sent) / (n - 1)
              : null,
          ),
          e2e_ms: round(last?.sent != null ? last.sent - result.tSend : null),
          event_delay_ms: withSent.map((e) => Math.round((e.t - e.sent!) * 1e4) / 1e4),
        }
      : null

  const endTimes = [last?.t, done?.t, events.at(-1)?.t].filter((t): t is number => t !== undefined)
  return {
    scenario: labels.scenario,
    load: labels.load,
    index: result.index,
    warmup: result.warmup,
    request_id: result.requestId,
    ok: error === null,
    error,
    ttfb_ms: round(since(events[0]?.t)),
    ttft_ms: round(since(first?.t)),
    ttfo_ms: round(since(firstContent?.t)),
    tpot_ms: round(tpot),
    e2e_ms: round(since(last?.t)),
    done_ms: round(since(done?.t ?? (error === null ? events.at(-1)?.t : undefined))),
    input_tokens: promptTokens,
    output_tokens: n,
    token_source: source,
    itl_ms: itlSamples(times, counts).map((v) => round(v) ?? 0),
    icl_ms: times.slice(1).map((t, j) => round(t - times[j]!) ?? 0),
    schedule_lag_ms: result.tIntended === null ? null : round(result.tSend - result.tIntended),
    headers_ms: round(result.tHeaders === null ? null : result.tHeaders - result.tSend),
    send_lag_ms: round(result.tDispatch === undefined ? null : result.tSend - result.tDispatch),
    token_events: tokens.length,
    requested_output_tokens: result.requestedOutput,
    t_send: result.tSend,
    t_end: endTimes.length > 0 ? Math.max(...endTimes) : null,
    token_times: times,
    token_counts: counts,
    itl_estimated: estimated,
    truth,
  }
}
