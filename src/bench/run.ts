import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import type { Logger } from '../core/logger.js'
import { percentile } from '../stats/percentile.js'
import { startSimServer } from '../sim/server.js'
import { summarize, type RunSummary, type Slo } from './aggregate.js'
import { arrivalOffsets } from './arrivals.js'
import {
  parseEndpoint,
  probeServer,
  requestBody,
  type Endpoint,
  type ServerCapabilities,
} from './probe.js'
import { syntheticPrompts, type Prompt } from './prompts.js'
import type { MeasuredRequest } from './request-metrics.js'
import type { RunMessage, WorkerReport } from './runner-core.js'
import {
  scrapeHistograms,
  serverMetrics,
  type Histogram,
  type ServerMetrics,
} from './server-metrics.js'
import { nowMs } from './timeline.js'
import type { StreamJob, TransportOptions } from './transport.js'
import { judgeValidity, type Calibration, type Validity } from './validity.js'
import { WorkerPool } from './worker-pool.js'

/** One load point: closed loop at a concurrency, or an open-loop arrival rate. */
export type LoadPoint =
  { mode: 'closed'; concurrency: number } | { mode: 'open'; rate: number; burstiness: number }

/** A benchmark scenario after config and flags are merged. */
export interface ScenarioSpec {
  name: string
  loads: LoadPoint[]
  requests: number
  durationS: number | null
  warmup: number
  inputTokens: number
  outputTokens: number
  seed: number
  slo: Slo | undefined
  /** JSONL (`{"prompt": ...}`) or plain-text lines; synthetic prompts when absent. */
  dataset: string | null
}

/** Settings of the whole benchmark. */
export interface BenchOptions {
  endpoint: Endpoint
  timeoutMs: number
  stallMs: number
  workers: number | null
  calibrate: boolean
  /** Scrape the server's Prometheus histograms around each run (vLLM, SGLang) as a cross-check. */
  serverMetrics?: boolean
  maxErrorRate: number
  logger: Logger
  signal: AbortSignal
}

/** One measured load point. */
export interface RunRecord {
  scenario: string
  load: string
  mode: 'closed' | 'open'
  concurrency: number | null
  rate: number | null
  burstiness: number | null
  requested: number
  warmup: number
  input_tokens: number
  output_tokens: number
  slo: Slo | null
  summary: RunSummary
  /** The server's own view of the run, when it exports latency histograms. */
  server_metrics: ServerMetrics | null
  validity: Validity
}

/** Everything a benchmark produced, before it is written as bench.json. */
export interface BenchOutcome {
  server: ServerCapabilities | null
  calibration: Calibration | null
  runs: RunRecord[]
  requests: MeasuredRequest[]
  /** True when no request got any answer (the server never answered): exit 3. */
  unreachable: boolean
  error: string | null
}

export const loadLabel = (l: LoadPoint) =>
  l.mode === 'closed' ? `concurrency=${l.concurrency}` : `rate=${l.rate}`

async function datasetPrompts(file: string, count: number, offset: number): Promise<Prompt[]> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '')
  const texts = lines.map((l) => {
    try {
      const v = JSON.parse(l) as { prompt?: unknown }
      return typeof v.prompt === 'string' ? v.prompt : l
    } catch {
      return l
    }
  })
  if (texts.length === 0) return []
  return Array.from({ length: count }, (_, i) => ({
    text: texts[(offset + i) % texts.length]!,
    tokens: null,
  }))
}

function splitUsers(users: number, workers: number): number[] {
  return Array.from(
    { length: workers },
    (_, w) => Math.floor(users / workers) + (w < users % workers ? 1 : 0),
  ).filter((u) => u > 0)
}

/** Runs a closed loop of `users` over `jobs` spread across the pool's workers. */
async function closedLoop(
  pool: WorkerPool,
  transport: TransportOptions,
  jobs: StreamJob[],
  users: number,
  deadline: number | null,
  labels: RunMessage['labels'],
) {
  const counter = new SharedArrayBuffer(4)
  const messages: RunMessage[] = splitUsers(users, pool.size).map((u) => ({
    transport,
    jobs,
    mode: 'closed',
    users: u,
    counter,
    deadline,
    labels,
  }))
  return pool.run(messages)
}

async function openLoop(
  pool: WorkerPool,
  transport: TransportOptions,
  jobs: StreamJob[],
  deadline: number | null,
  labels: RunMessage['labels'],
) {
  const messages: RunMessage[] = Array.from(
    { length: Math.min(pool.size, jobs.length) },
    (_, w) => ({
      transport,
      jobs: jobs.filter((_, i) => i % pool.size === w),
      mode: 'open',
      users: 0,
      counter: null,
      deadline,
      labels,
    }),
  )
  return pool.run(messages)
}

/**
 * Measures the client's own timing error on this machine: a loopback simulator that embeds its send
 * times streams to `streams` connections on a shared 20 ms grid (a decode step), and the delay between
 * each send and our timestamp is the floor every measurement carries.
 */
export async function calibrate(pool: WorkerPool, streams: number): Promise<Calibration> {
  const tokens = 20
  const sim = await startSimServer({
    profile: {
      models: {
        calibration: {
          default_reply: 'x',
          timing: { ttft_ms: 20, itl_ms: 20, aligned: true, embed_send_time: true },
        },
      },
    },
  })
  try {
    const endpoint = parseEndpoint(sim.url, 'calibration', 'chat')
    const transport: TransportOptions = {
      origin: endpoint.origin,
      path: endpoint.path,
      headers: endpoint.headers,
      timeoutMs: 30_000,
      stallMs: 10_000,
    }
    const body = JSON.stringify(
      requestBody(endpoint, 'calibrate', tokens, { continuous_usage: false, ignore_eos: true }),
    )
    const jobs: StreamJob[] = Array.from({ length: streams * 2 }, (_, index) => ({
      index,
      requestId: requestId('00000000', 0, 0, false, index),
      warmup: false,
      body,
      inputTokens: null,
      requestedOutput: tokens,
      tIntended: null,
    }))
    const reports = await closedLoop(pool, transport, jobs, streams, null, {
      scenario: 'calibration',
      load: `concurrency=${streams}`,
    })
    const delays = reports.flatMap((r) => r.requests.flatMap((q) => q.truth?.event_delay_ms ?? []))
    const events = reports.reduce((s, r) => s + r.events, 0)
    const busy = reports.reduce((s, r) => s + r.busyMs, 0)
    return {
      streams,
      events: delays.length,
      delay_p50_ms: delays.length > 0 ? Math.round(percentile(delays, 50) * 1000) / 1000 : NaN,
      delay_p99_ms: delays.length > 0 ? Math.round(percentile(delays, 99) * 1000) / 1000 : NaN,
      cpu_per_event_us: events > 0 ? Math.round((busy / events) * 1000 * 10) / 10 : NaN,
    }
  } finally {
    await sim.close()
  }
}

/**
 * The `x-request-id` of one request, shaped as a version-4 UUID: llama-cpp-python's server
 * (starlette-context) answers 400 to any other shape, and vLLM and SGLang take it as their request
 * id. Fields: benchmark nonce, scenario, `4` + load, `8` (measured) or `9` (warmup), index.
 */
export function requestId(
  nonce: string,
  scenario: number,
  load: number,
  warmup: boolean,
  index: number,
): string {
  const hex = (v: number, n: number) => v.toString(16).padStart(n, '0').slice(-n)
  return `${nonce}-${hex(scenario, 4)}-4${hex(load, 3)}-${warmup ? '9' : '8'}000-${hex(index, 12)}`
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
type Snapshot = Map<string, Histogram>

/**
 * Scrapes until two scrapes 25 ms apart agree on the number of finished requests (a server records a
 * request's histograms a little after its last byte), at most ~0.5 s.
 */
async function settledScrape(endpoint: Endpoint, timeoutMs: number): Promise<Snapshot | null> {
  const finished = (s: Snapshot | null) =>
    s ? [...s.entries()].filter(([n]) => n.includes('e2e')).reduce((a, [, h]) => a + h.count, 0) : 0
  let last = await scrapeHistograms(endpoint.origin, endpoint.headers, timeoutMs)
  for (let i = 0; last && i < 20; i++) {
    await pause(25)
    const next = await scrapeHistograms(endpoint.origin, endpoint.headers, timeoutMs)
    if (!next || finished(next) === finished(last)) return next ?? last
    last = next
  }
  return last
}

function workerCount(scenarios: readonly ScenarioSpec[], requested: number | null): number {
  if (requested !== null) return requested
  const streams = Math.max(
    1,
    ...scenarios.flatMap((s) =>
      s.loads.map((l) => (l.mode === 'closed' ? l.concurrency : Math.ceil(l.rate))),
    ),
  )
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(streams / 128)))
}

/** Runs every scenario and load point: probe, prompts, warmup (excluded), measured requests, summary, validity. */
export async function runBenchmark(
  scenarios: readonly ScenarioSpec[],
  options: BenchOptions,
): Promise<BenchOutcome> {
  const { endpoint, logger } = options
  const outcome: BenchOutcome = {
    server: null,
    calibration: null,
    runs: [],
    requests: [],
    unreachable: false,
    error: null,
  }
  let probed: Awaited<ReturnType<typeof probeServer>>
  try {
    probed = await probeServer(endpoint, options.timeoutMs)
  } catch (error) {
    outcome.unreachable = true
    outcome.error = `the endpoint ${endpoint.origin}${endpoint.path} did not answer: ${error instanceof Error ? error.message : String(error)}`
    return outcome
  }
  outcome.server = probed.caps
  logger.info(
    `server: ${probed.caps.name} ${probed.caps.version ?? ''} (usage: ${probed.caps.usage}, continuous usage: ${probed.caps.continuous_usage}, fixed length: ${probed.caps.ignore_eos}, tokenize: ${probed.caps.tokenize})`,
  )
  const pool = WorkerPool.start(workerCount(scenarios, options.workers))
  try {
    if (options.calibrate) {
      const streams = Math.min(
        64,
        Math.max(
          1,
          ...scenarios.flatMap((s) =>
            s.loads.map((l) => (l.mode === 'closed' ? l.concurrency : 8)),
          ),
        ),
      )
      outcome.calibration = await calibrate(pool, streams)
      logger.info(
        `calibration (${streams} loopback streams): timing error p50 ${outcome.calibration.delay_p50_ms} ms, p99 ${outcome.calibration.delay_p99_ms} ms, ${outcome.calibration.cpu_per_event_us} µs CPU per event`,
      )
    }
    const transport: TransportOptions = {
      origin: endpoint.origin,
      path: endpoint.path,
      headers: endpoint.headers,
      timeoutMs: options.timeoutMs,
      stallMs: options.stallMs,
    }
    // One probe decides whether the server exports histograms at all.
    let scrape = options.serverMetrics !== false
    if (scrape && !(await scrapeHistograms(endpoint.origin, endpoint.headers, 5000))) scrape = false
    if (scrape) logger.info('server metrics: latency histograms found on /metrics (cross-check on)')
    // Request ids (x-request-id) unique per benchmark: servers reject an id that is still running.
    const nonce = randomBytes(4).toString('hex')
    for (const [si, scenario] of scenarios.entries()) {
      for (const [li, load] of scenario.loads.entries()) {
        if (options.signal.aborted) return outcome
        const labels = { scenario: scenario.name, load: loadLabel(load) }
        const seed = scenario.seed + li * 7919
        const prompts = scenario.dataset
          ? await datasetPrompts(scenario.dataset, scenario.requests + scenario.warmup, 0)
          : await syntheticPrompts(scenario.requests, scenario.inputTokens, seed, probed.tokenizer)
        const warmPrompts = scenario.dataset
          ? prompts.splice(scenario.requests)
          : await syntheticPrompts(
              scenario.warmup,
              scenario.inputTokens,
              seed + 1,
              probed.tokenizer,
              'Warmup',
            )
        const toJob = (
          p: Prompt,
          index: number,
          warmup: boolean,
          tIntended: number | null,
        ): StreamJob => ({
          index,
          warmup,
          requestId: requestId(nonce, si, li, warmup, index),
          body: JSON.stringify(requestBody(endpoint, p.text, scenario.outputTokens, probed.caps)),
          inputTokens: p.tokens,
          requestedOutput: probed.caps.ignore_eos ? scenario.outputTokens : null,
          tIntended,
        })
        const users = load.mode === 'closed' ? load.concurrency : 1
        if (warmPrompts.length > 0) {
          await closedLoop(
            pool,
            transport,
            warmPrompts.map((p, i) => toJob(p, i, true, null)),
            Math.min(users, warmPrompts.length),
            null,
            labels,
          )
        }
        logger.info(
          `${scenario.name} ${labels.load}: ${scenario.requests} requests after ${warmPrompts.length} warmup requests`,
        )
        const before = scrape ? await settledScrape(endpoint, 5000) : null
        let reports: WorkerReport[]
        let meanGap: number | null = null
        if (load.mode === 'closed') {
          const deadline = scenario.durationS === null ? null : nowMs() + scenario.durationS * 1000
          reports = await closedLoop(
            pool,
            transport,
            prompts.map((p, i) => toJob(p, i, false, null)),
            load.concurrency,
            deadline,
            labels,
          )
        } else {
          const offsets = arrivalOffsets(prompts.length, load.rate, load.burstiness, seed)
          meanGap = 1000 / load.rate
          const t0 = nowMs() + 100
          const deadline = scenario.durationS === null ? null : t0 + scenario.durationS * 1000
          reports = await openLoop(
            pool,
            transport,
            prompts.map((p, i) => toJob(p, i, false, t0 + offsets[i]!)),
            deadline,
            labels,
          )
        }
        const requests = reports.flatMap((r) => r.requests).sort((a, b) => a.index - b.index)
        outcome.requests.push(...requests)
        const after = before ? await settledScrape(endpoint, 5000) : null
        const server = before && after ? serverMetrics(before, after) : null
        const concurrency = load.mode === 'closed' ? load.concurrency : null
        const summary = summarize(requests, {
          concurrency,
          slo: scenario.slo,
          seed: scenario.seed + 1,
        })
        const validity = judgeValidity({
          requests,
          reports,
          threads: pool.threads,
          mode: load.mode,
          meanInterArrivalMs: meanGap,
          calibration: outcome.calibration,
          slo: scenario.slo,
          fixedOutput: probed.caps.ignore_eos,
          maxErrorRate: options.maxErrorRate,
          server,
          clientTtftMeanMs: summary.ttft_ms.mean,
        })
        outcome.runs.push({
          scenario: scenario.name,
          load: labels.load,
          mode: load.mode,
          concurrency,
          rate: load.mode === 'open' ? load.rate : null,
          burstiness: load.mode === 'open' ? load.burstiness : null,
          requested: scenario.requests,
          warmup: warmPrompts.length,
          input_tokens: scenario.inputTokens,
          output_tokens: scenario.outputTokens,
          slo: scenario.slo ?? null,
          summary,
          server_metrics: server,
          validity,
        })
        logger.info(
          `${scenario.name} ${labels.load}: TTFT p50 ${summary.ttft_ms.p50 ?? '-'} ms, TPOT p50 ${summary.tpot_ms.p50 ?? '-'} ms, ${summary.output_throughput ?? '-'} tok/s, errors ${summary.errors}/${summary.requests}, ${validity.verdict}`,
        )
      }
    }
  } finally {
    await pool.close()
  }
  if (outcome.requests.length > 0 && outcome.requests.every((r) => !r.ok && r.ttfb_ms === null)) {
    outcome.unreachable = true
    outcome.error = `no request got any answer from ${endpoint.origin}${endpoint.path}`
  }
  return outcome
}
