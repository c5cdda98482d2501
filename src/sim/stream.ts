import type { ServerResponse } from 'node:http'
import { fnv1a, seededRandom } from './hash.js'
import { chatLogprobs, completionLogprobs, planUsage, type ResponsePlan } from './plan.js'
import type { RequestObserver } from './metrics.js'
import type { Fault, Timing } from './profile.js'
import { chunkJson, sseEvent, SSE_DONE } from './sse.js'

/** One SSE event of a simulated stream, due `at` ms after the request arrived. */
interface StreamEvent {
  at: number
  build: () => Record<string, unknown>
  /** Generated tokens this event carries (0 for the role-only and usage chunks). */
  tokens: number
}

/** The schedule of a plan's stream: role chunk, reasoning and content chunks, usage chunk. */
export function streamSchedule(plan: ResponsePlan, timing: Timing, seq: number): StreamEvent[] {
  const { request } = plan
  const random = seededRandom(fnv1a(String(seq), timing.jitter_seed))
  const object = request.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion'
  const head = { id: plan.id, object, created: plan.created, model: request.model }
  const events: StreamEvent[] = []
  let produced = 0
  const usage = (completion: number) => planUsage(plan, completion)
  const withUsage = (chunk: Record<string, unknown>, completion: number) =>
    request.continuousUsage ? { ...chunk, usage: usage(completion) } : chunk

  const steps: { choice: number; reasoning: string[]; content: string[]; last: boolean }[][] = []
  for (const choice of plan.choices) {
    const all = [
      ...choice.reasoning.map((t) => ({ t, r: true })),
      ...choice.tokens.map((t) => ({ t, r: false })),
    ]
    for (let i = 0, step = 0; i < all.length; i += timing.tokens_per_chunk, step++) {
      const part = all.slice(i, i + timing.tokens_per_chunk)
      ;(steps[step] ??= []).push({
        choice: choice.index,
        reasoning: part.filter((p) => p.r).map((p) => p.t),
        content: part.filter((p) => !p.r).map((p) => p.t),
        last: i + timing.tokens_per_chunk >= all.length,
      })
    }
  }

  if (request.kind === 'chat' && timing.role_chunk) {
    for (const choice of plan.choices) {
      events.push({
        at: Math.min(timing.role_chunk_ms, timing.ttft_ms),
        tokens: 0,
        build: () =>
          withUsage(
            {
              ...head,
              choices: [
                {
                  index: choice.index,
                  delta: { role: 'assistant', content: '' },
                  logprobs: null,
                  finish_reason: null,
                },
              ],
            },
            0,
          ),
      })
    }
  }
  if (request.kind === 'completion' && request.echo) {
    for (const choice of plan.choices) {
      const echo = choice.echo
      if (!echo) continue
      events.push({
        at: 0,
        tokens: 0,
        build: () => ({
          ...head,
          choices: [
            {
              index: choice.index,
              text: echo.tokens.join(''),
              logprobs: request.logprobs
                ? completionLogprobs([], 0, request.topLogprobs, 0, echo)
                : null,
              finish_reason: null,
            },
          ],
        }),
      })
    }
  }
  let at = timing.ttft_ms
  const position = new Map<number, number>()
  steps.forEach((step, s) => {
    if (s > 0) {
      const k = Math.max(...step.map((p) => p.reasoning.length + p.content.length))
      const jitter = timing.jitter_ms > 0 ? (random() * 2 - 1) * timing.jitter_ms : 0
      at = Math.max(at, at + timing.itl_ms * k + jitter)
    }
    for (const part of step) {
      const n = part.reasoning.length + part.content.length
      produced += n
      const completion = produced
      const start = position.get(part.choice) ?? 0
      position.set(part.choice, start + n)
      const finish = part.last
        ? (plan.choices.find((c) => c.index === part.choice)?.finish ?? 'stop')
        : null
      events.push({
        at,
        tokens: n,
        build: () => {
          if (request.kind === 'chat') {
            const delta: Record<string, unknown> = {}
            if (part.reasoning.length > 0) delta[timing.reasoning_field] = part.reasoning.join('')
            if (part.content.length > 0 || part.reasoning.length === 0)
              delta.content = part.content.join('')
            const logprobs =
              request.logprobs && part.content.length > 0
                ? { content: chatLogprobs(part.content, start, request.topLogprobs) }
                : null
            return withUsage(
              {
                ...head,
                choices: [{ index: part.choice, delta, logprobs, finish_reason: finish }],
              },
              completion,
            )
          }
          const text = part.content.join('')
          const logprobs = request.logprobs
            ? completionLogprobs(part.content, start, request.topLogprobs, 0)
            : null
          return withUsage(
            { ...head, choices: [{ index: part.choice, text, logprobs, finish_reason: finish }] },
            completion,
          )
        },
      })
    }
  })
  if (request.includeUsage) {
    events.push({ at, tokens: 0, build: () => ({ ...head, choices: [], usage: usage(produced) }) })
  }
  return events
}

/** Writes a stream on its absolute schedule (drift-free) and applies a stream fault. */
export async function writeStream(
  res: ServerResponse,
  events: readonly StreamEvent[],
  options: {
    timing: Timing
    fault: Fault | undefined
    epoch: bigint
    signal: AbortSignal
    observer?: RequestObserver
  },
): Promise<void> {
  const { timing, fault, observer } = options
  const start = process.hrtime.bigint()
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  })
  res.flushHeaders()
  const due = (at: number): bigint => {
    let t = start + BigInt(Math.round(at * 1e6))
    if (timing.aligned && timing.itl_ms > 0) {
      const grid = BigInt(Math.round(timing.itl_ms * 1e6))
      const since = t - options.epoch
      t = options.epoch + ((since + grid - 1n) / grid) * grid
    }
    return t
  }
  for (const [i, event] of events.entries()) {
    if (fault && i === fault.after_chunks) {
      if (fault.kind === 'truncate') return void res.end()
      if (fault.kind === 'reset') return void res.socket?.destroy()
      if (fault.kind === 'stall')
        return new Promise((resolve) =>
          options.signal.addEventListener('abort', () => resolve(), { once: true }),
        )
      if (fault.kind === 'malformed')
        res.write('data: {"choices": [{"delta": {"content": "oops"\n\n')
    }
    const wait = Number(due(event.at) - process.hrtime.bigint()) / 1e6
    if (wait > 0.5) await sleep(wait, options.signal)
    if (options.signal.aborted || res.destroyed) return
    res.write(sseEvent(chunkJson(event.build(), timing.embed_send_time)))
    if (event.tokens > 0) observer?.tokens(event.tokens, process.hrtime.bigint())
  }
  if (fault && fault.after_chunks >= events.length && fault.kind !== 'malformed') {
    if (fault.kind === 'truncate') return void res.end()
    if (fault.kind === 'reset') return void res.socket?.destroy()
    if (fault.kind === 'stall')
      return new Promise((resolve) =>
        options.signal.addEventListener('abort', () => resolve(), { once: true }),
      )
  }
  res.end(SSE_DONE)
  observer?.end(true, process.hrtime.bigint())
}

/** Sleeps on a timer; resolves early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      resolve()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Total simulated generation time of a plan (for non-streaming responses). */
export function generationTime(events: readonly StreamEvent[]): number {
  return events.reduce((max, e) => Math.max(max, e.at), 0)
}
