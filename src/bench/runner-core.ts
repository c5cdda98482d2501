import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks'
import type { Client } from 'undici'
import { measureRequest, type MeasuredRequest } from './request-metrics.js'
import { newConnection, sendStream, type StreamJob, type TransportOptions } from './transport.js'
import { nowMs } from './timeline.js'

/** One batch of work for a worker: a closed loop over shared jobs, or an open-loop schedule. */
export interface RunMessage {
  transport: TransportOptions
  jobs: StreamJob[]
  mode: 'closed' | 'open'
  /** Closed loop: virtual users this worker runs. */
  users: number
  /** Closed loop: the next job index, shared by all workers (Int32 at 0). */
  counter: SharedArrayBuffer | null
  /** Stop issuing new requests after this monotonic time (duration limits). */
  deadline: number | null
  labels: { scenario: string; load: string }
}

/** What a worker sends back: measured requests and its own load indicators. */
export interface WorkerReport {
  requests: MeasuredRequest[]
  loopDelayP99Ms: number
  loopDelayMaxMs: number
  /** Garbage-collection pauses of this client thread during the batch: their sum and the longest. */
  gcPauseMs: number
  gcMaxMs: number
  utilization: number
  events: number
  busyMs: number
  connections: number
}

/** Connections kept by one worker between runs (warmup connects them for the measured run). */
export class ConnectionPool {
  private readonly idle = new Map<string, Client[]>()
  created = 0
  take(transport: TransportOptions): Client {
    const c = this.idle.get(transport.origin)?.pop()
    if (c) return c
    this.created++
    return newConnection(transport.origin, transport)
  }
  give(origin: string, c: Client): void {
    if (c.destroyed || c.closed) return
    const list = this.idle.get(origin) ?? []
    list.push(c)
    this.idle.set(origin, list)
  }
  async close(): Promise<void> {
    const all = [...this.idle.values()].flat()
    this.idle.clear()
    await Promise.all(all.map((c) => c.close().catch(() => undefined)))
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The event-loop delay sampler's period: its histogram records whole periods, so this is subtracted. */
const LOOP_SAMPLE_MS = 1

/**
 * Event-loop delay from a `monitorEventLoopDelay` histogram value (ns). Node records the whole
 * interval between samples, so an idle loop reads ~1.1 ms at a 1 ms resolution; the delay is what
 * lies beyond the period.
 */
export const loopDelayMs = (recordedNs: number) => Math.max(0, recordedNs / 1e6 - LOOP_SAMPLE_MS)

/** Runs one batch in the current thread (a worker, or the main thread as a fallback). */
export async function runJobs(message: RunMessage, pool: ConnectionPool): Promise<WorkerReport> {
  const raws: Awaited<ReturnType<typeof sendStream>>[] = []
  const histogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS })
  histogram.enable()
  let gcPause = 0
  let gcMax = 0
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcPause += e.duration
      gcMax = Math.max(gcMax, e.duration)
    }
  })
  gc.observe({ entryTypes: ['gc'] })
  const elu0 = performance.eventLoopUtilization()
  const once = async (job: StreamJob) => {
    const client = pool.take(message.transport)
    const raw = await sendStream(client, job, message.transport)
    if (raw.error === null) pool.give(message.transport.origin, client)
    else void client.destroy().catch(() => undefined)
    raws.push(raw)
  }
  if (message.mode === 'closed') {
    const counter = new Int32Array(message.counter ?? new SharedArrayBuffer(4))
    const user = async () => {
      for (;;) {
        if (message.deadline !== null && nowMs() >= message.deadline) return
        const i = Atomics.add(counter, 0, 1)
        const job = message.jobs[i]
        if (!job) return
        await once(job)
      }
    }
    await Promise.all(Array.from({ length: message.users }, user))
  } else {
    const pending: Promise<void>[] = []
    for (const job of message.jobs) {
      const at = job.tIntended ?? nowMs()
      if (message.deadline !== null && at >= message.deadline) break
      // Timers fire late by up to ~1 ms, so sleep until 1.5 ms before the slot, then yield with
      // setImmediate (I/O callbacks keep running) until it is due.
      const wait = at - nowMs()
      if (wait > 1.5) await sleep(wait - 1.5)
      while (nowMs() < at) await new Promise<void>((r) => setImmediate(r))
      pending.push(once(job))
    }
    await Promise.all(pending)
  }
  const elu = performance.eventLoopUtilization(elu0)
  histogram.disable()
  // Entries of the last GCs arrive asynchronously; take what has been delivered.
  for (const e of gc.takeRecords()) {
    gcPause += e.duration
    gcMax = Math.max(gcMax, e.duration)
  }
  gc.disconnect()
  // Parsing happens after the whole batch, so it never delays a timestamp.
  const requests = raws.map((r) => measureRequest(r, message.labels))
  const events = raws.reduce((s, r) => s + r.raw.times.length, 0)
  return {
    requests,
    loopDelayP99Ms: histogram.count > 0 ? loopDelayMs(histogram.percentile(99)) : 0,
    loopDelayMaxMs: histogram.count > 0 ? loopDelayMs(histogram.max) : 0,
    gcPauseMs: Math.round(gcPause * 1000) / 1000,
    gcMaxMs: Math.round(gcMax * 1000) / 1000,
    utilization: elu.utilization,
    events,
    busyMs: elu.active,
    connections: pool.created,
  }
}
