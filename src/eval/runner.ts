import { setMaxListeners } from 'node:events'
import type { ResultRow } from '../contracts/results.js'
import type { Metric } from '../metrics/types.js'
import type { ProviderError } from '../providers/provider-error.js'
import type { ModelClient, ServerInfo } from '../providers/types.js'
import { runCase } from './case-runner.js'
import type { PlanItem } from './plan.js'
import type { PerplexityScoring } from './tasks/perplexity-scoring.js'

/** Everything the runner needs, built by the command (or a test) at the edge. */
export interface RunnerDeps {
  clients: ReadonlyMap<string, ModelClient>
  servers: ReadonlyMap<string, ServerInfo>
  /** Resolved metrics per suite name. */
  metrics: ReadonlyMap<string, readonly Metric[]>
  /** The judge client per suite name (only suites with model metrics). */
  judges: ReadonlyMap<string, ModelClient>
  /** How each provider's perplexity cases are scored (absent: the single-request fallback). */
  perplexity?: ReadonlyMap<string, PerplexityScoring>
  /** Workers per provider; default: the client's concurrency limit plus a small queue so it never idles. */
  workers: (provider: string) => number
  /** Called with each finished row, in finishing order (the results writer); must not block. */
  onRow: (row: ResultRow) => void
  onProgress?: (error: boolean) => void
  signal: AbortSignal
  now?: () => number
}

/** What a run produced. */
export interface RunOutcome {
  rows: ResultRow[]
  /** Set when a server became unreachable (or the run was cancelled): the run stopped early. */
  fatal?: { provider: string; error: ProviderError }
  /** Wall time per `suite\0provider`, first start to last finish. */
  wallMs: Map<string, number>
}

/**
 * Runs the plan with one worker pool per provider, so every provider's concurrency stays saturated
 * independently of the others (no batches waiting on their slowest case). Rows go to `onRow` as each
 * case finishes. A server unreachable after retries aborts the run; what finished is kept.
 */
export async function runPlan(plan: readonly PlanItem[], deps: RunnerDeps): Promise<RunOutcome> {
  const now = deps.now ?? (() => performance.now())
  const stop = new AbortController()
  const signal = AbortSignal.any([deps.signal, stop.signal])
  // Every in-flight request listens on this signal; a pool of hundreds is expected, not a leak.
  setMaxListeners(0, signal)
  const rows: ResultRow[] = []
  const spans = new Map<string, [number, number]>()
  let fatal: RunOutcome['fatal']

  const queues = new Map<string, PlanItem[]>()
  for (const item of plan) {
    const q = queues.get(item.provider)
    if (q) q.push(item)
    else queues.set(item.provider, [item])
  }

  const worker = async (provider: string, queue: PlanItem[]) => {
    const client = deps.clients.get(provider)!
    const info = deps.servers.get(provider) ?? {
      name: 'unknown' as const,
      version: null,
      models: [],
    }
    let next: PlanItem | undefined
    while (!signal.aborted && (next = queue.shift()) !== undefined) {
      const item = next
      const key = `${item.suite.config.name}\u0000${provider}`
      const started = now()
      const result = await runCase(item, {
        client,
        info,
        judge: deps.judges.get(item.suite.config.name),
        metrics: deps.metrics.get(item.suite.config.name) ?? [],
        perplexity: deps.perplexity?.get(provider),
        signal,
      })
      if ('fatal' in result) {
        fatal ??= { provider, error: result.fatal }
        stop.abort()
        return
      }
      const span = spans.get(key)
      const finished = now()
      spans.set(
        key,
        span ? [Math.min(span[0], started), Math.max(span[1], finished)] : [started, finished],
      )
      rows.push(result.row)
      deps.onRow(result.row)
      deps.onProgress?.(result.row.error !== null)
    }
  }

  const pools: Promise<void>[] = []
  for (const [provider, queue] of queues) {
    const n = Math.max(1, Math.min(deps.workers(provider), queue.length))
    for (let i = 0; i < n; i++) pools.push(worker(provider, queue))
  }
  await Promise.all(pools)
  const wallMs = new Map([...spans].map(([k, [a, b]]) => [k, b - a]))
  return { rows, wallMs, ...(fatal ? { fatal } : {}) }
}
