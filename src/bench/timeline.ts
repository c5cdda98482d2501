/**
 * Turns the raw bytes of an SSE response, stamped as they arrived, into classified events. Each event's
 * time is the arrival time of the chunk holding its first byte; parsing happens here, after the stream,
 * off the hot path (see docs/bench.md).
 */

/** Bytes of one response as read from the socket, each chunk with its monotonic arrival time in ms. */
export interface RawStream {
  chunks: Buffer[]
  times: number[]
}

/** Event classes of an OpenAI-compatible stream. A token event carries content, reasoning or tool calls. */
export type EventKind =
  'role' | 'token' | 'usage' | 'done' | 'error' | 'malformed' | 'comment' | 'empty'

/** One classified SSE event. */
export interface StreamEvent {
  t: number
  kind: EventKind
  /** Visible content (not only reasoning or tool calls). */
  content: boolean
  /** Cumulative `usage.completion_tokens` carried by this event, if any. */
  cumulative: number | null
  promptTokens: number | null
  /** The server's send time when it embeds one (`sim_sent_ns`), in ms on the same monotonic clock. */
  sent: number | null
  message: string | null
}

/** Milliseconds on the process-wide monotonic clock (CLOCK_MONOTONIC, shared by threads and processes). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6
}

const BOUNDARY = /\r?\n\r?\n/g

/** Splits stamped bytes into SSE event blocks, each with the arrival time of its first byte. */
export function splitEvents(raw: RawStream): { t: number; block: string; complete: boolean }[] {
  if (raw.chunks.length === 0) return []
  const all = raw.chunks.length === 1 ? raw.chunks[0]! : Buffer.concat(raw.chunks)
  const latin = all.toString('latin1')
  const ends: number[] = []
  let acc = 0
  for (const c of raw.chunks) ends.push((acc += c.length))
  let chunk = 0
  const timeAt = (pos: number) => {
    while (chunk < ends.length - 1 && pos >= ends[chunk]!) chunk++
    return raw.times[chunk] ?? NaN
  }
  const out: { t: number; block: string; complete: boolean }[] = []
  let pos = 0
  BOUNDARY.lastIndex = 0
  for (let m = BOUNDARY.exec(latin); m; m = BOUNDARY.exec(latin)) {
    while (pos < m.index && (latin[pos] === '\n' || latin[pos] === '\r')) pos++
    if (m.index > pos)
      out.push({ t: timeAt(pos), block: all.toString('utf8', pos, m.index), complete: true })
    pos = m.index + m[0].length
  }
  if (pos < all.length && latin.slice(pos).trim() !== '')
    out.push({ t: timeAt(pos), block: all.toString('utf8', pos), complete: false })
  return out
}

type Json = Record<string, unknown>
const nonEmpty = (v: unknown) =>
  typeof v === 'string' ? v.length > 0 : Array.isArray(v) ? v.length > 0 : false

/** Classifies one SSE block (its `data:` lines joined). */
export function classifyEvent(t: number, block: string): StreamEvent {
  const base: StreamEvent = {
    t,
    kind: 'empty',
    content: false,
    cumulative: null,
    promptTokens: null,
    sent: null,
    message: null,
  }
  const lines = block.split(/\r?\n/)
  const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''))
  if (data.length === 0)
    return {
      ...base,
      kind: lines.every((l) => l.startsWith(':') || l === '') ? 'comment' : 'empty',
    }
  const payload = data.join('\n')
  if (payload.trim() === '[DONE]') return { ...base, kind: 'done' }
  let obj: Json
  try {
    obj = JSON.parse(payload) as Json
  } catch {
    return { ...base, kind: 'malformed', message: payload.slice(0, 200) }
  }
  if (typeof obj !== 'object' || obj === null)
    return { ...base, kind: 'malformed', message: payload.slice(0, 200) }
  const usage = obj.usage as Json | undefined
  const event: StreamEvent = {
    ...base,
    cumulative: typeof usage?.completion_tokens === 'number' ? usage.completion_tokens : null,
    promptTokens: typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : null,
    sent: typeof obj.sim_sent_ns === 'string' ? Number(BigInt(obj.sim_sent_ns)) / 1e6 : null,
  }
  if (obj.error !== undefined && obj.error !== null) {
    const e = obj.error as Json | string
    return {
      ...event,
      kind: 'error',
      message:
        typeof e === 'string' ? e : typeof e.message === 'string' ? e.message : JSON.stringify(e),
    }
  }
  const choices = obj.choices
  if (!Array.isArray(choices) || choices.length === 0)
    return { ...event, kind: usage ? 'usage' : 'empty' }
  const choice = (choices[0] ?? {}) as Json
  const delta = (choice.delta ?? {}) as Json
  const content = nonEmpty(delta.content) || nonEmpty(choice.text)
  const other =
    nonEmpty(delta.reasoning_content) || nonEmpty(delta.reasoning) || nonEmpty(delta.tool_calls)
  if (content || other) return { ...event, kind: 'token', content }
  return { ...event, kind: typeof delta.role === 'string' ? 'role' : 'empty' }
}

/** Splits and classifies a whole stamped response body. The last element is incomplete when the body ended mid-event. */
export function parseTimeline(raw: RawStream): { events: StreamEvent[]; trailingPartial: boolean } {
  const blocks = splitEvents(raw)
  const events = blocks.map((b) =>
    b.complete
      ? classifyEvent(b.t, b.block)
      : { ...classifyEvent(b.t, b.block), kind: 'malformed' as const },
  )
  return { events, trailingPartial: blocks.some((b) => !b.complete) }
}
