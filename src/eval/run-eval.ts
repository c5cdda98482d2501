import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { loadConfig } from '../config/load.js'
import type { ResultRow } from '../contracts/results.js'
import type { Summary } from '../contracts/summary.js'
import type { Logger } from '../core/logger.js'
import { ConfigurationError, InfrastructureError } from '../errors.js'
import { prepareMetrics, resolveMetric } from '../metrics/registry.js'
import type { Metric } from '../metrics/types.js'
import { createModelClient, type ClientDeps } from '../providers/openai-client.js'
import type { ProviderError } from '../providers/provider-error.js'
import { ResponseCache } from '../providers/response-cache.js'
import type { ModelClient, ServerInfo } from '../providers/types.js'
import type { SuiteConfig } from './config-schema.js'
import {
  metricDefinition,
  resolveSuiteMetrics,
  scoreCorpus,
  specName,
  type MetricResolver,
} from './metric-resolution.js'
import { RESULTS_FILE, SUMMARY_FILE, writeJsonAtomic } from './output-files.js'
import { buildPlan, type PlanFilters, type Shard } from './plan.js'
import { Progress } from './progress.js'
import { buildProvenance, commitSha } from './provenance.js'
import { latestRows, readResults, ResultsWriter, rowKey } from './results-file.js'
import { runPlan } from './runner.js'
import { expandSafety } from './safety-seam.js'
import { loadSuite } from './suite-cases.js'
import { buildSummary, perplexityMethodWarnings } from './summary.js'
import {
  describeScoring,
  METHOD_DEPENDENT_METRICS,
  perplexityDefinition,
  resolvePerplexityScorings,
} from './tasks/perplexity-scoring.js'

/** Options of one `llmops eval` run. */
export interface EvalRunOptions {
  configFile: string
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  out: string
  filters?: PlanFilters
  shard?: Shard | undefined
  resume?: boolean
  /** Response cache directory; undefined disables the cache. */
  cacheDir?: string | undefined
  logger: Logger
  signal: AbortSignal
  /** The metric registry; default: src/metrics `resolveMetric` relative to the config file. */
  resolveMetric?: MetricResolver
  /** Overrides for the provider clients (tests pass short backoffs). */
  clientDeps?: Omit<ClientDeps, 'env' | 'cache'>
}

/** What a run wrote. `failure` is set when a server was unreachable (exit 3) after the files were written. */
export interface EvalRunResult {
  outDir: string
  summary: Summary
  cases: number
  errors: number
  failure?: InfrastructureError
}

// Errored rows of these kinds are run again by --resume: the run stopped under them.
const RERUN_KINDS = new Set(['cancelled', 'connection'])

function describeFatal(
  provider: string,
  client: ModelClient | undefined,
  error: ProviderError,
): InfrastructureError {
  const url = (client as { baseUrl?: string } | undefined)?.baseUrl ?? error.details.url ?? '?'
  if (error.kind === 'cancelled')
    return new InfrastructureError(
      `eval cancelled; finished cases are in the results (rerun with --resume)`,
    )
  return new InfrastructureError(
    `provider '${provider}' at ${url} is unreachable after retries: ${error.message}`,
    { cause: error },
  )
}

/** Loads the config and datasets, runs the plan and writes results.jsonl and summary.json under `out`. */
export async function runEval(options: EvalRunOptions): Promise<EvalRunResult> {
  const startedAt = new Date()
  const loaded = await loadConfig(options.configFile, options.env, options.cwd)
  const { config } = loaded
  // Clients are created on first use: the plan's providers, judges and safety scorer endpoints.
  const cache = options.cacheDir
    ? new ResponseCache(path.resolve(options.cwd, options.cacheDir))
    : undefined
  const clients = new Map<string, ModelClient>()
  const clientFor = (name: string, where: string): ModelClient => {
    let c = clients.get(name)
    if (!c) {
      const cfg = config.providers[name]
      if (!cfg)
        throw new ConfigurationError(
          `${where}: provider '${name}' is not configured under providers`,
        )
      c = createModelClient(name, cfg, {
        ...options.clientDeps,
        env: options.env,
        cache,
        onRetry: (m) => options.logger.warn(m),
      })
      clients.set(name, c)
    }
    return c
  }
  const safety = await expandSafety(config, loaded.dir, {
    env: options.env,
    clientFor: (name) => clientFor(name, 'safety'),
  })
  const suiteConfigs: SuiteConfig[] = [...config.suites, ...safety.suites]
  const suites = await Promise.all(suiteConfigs.map((s) => loadSuite(s, loaded.dir)))

  const resolve: MetricResolver =
    options.resolveMetric ?? ((spec) => resolveMetric(spec, { configDir: loaded.dir }))
  const needsJudge = new Set<string>()
  const metrics = new Map<string, Metric[]>()
  const definitions: Record<string, string> = {}
  for (const suite of suiteConfigs) {
    const resolved = resolveSuiteMetrics(suite, resolve)
    if (suite.task === 'generate') resolved.push(...safety.metrics)
    metrics.set(suite.name, resolved)
    if (resolved.some((m) => m.kind === 'model' && !safety.metrics.includes(m)))
      needsJudge.add(suite.name)
    for (const spec of suite.metrics)
      definitions[`${suite.name}/${specName(spec)}`] = metricDefinition(spec)
  }

  await prepareMetrics([...new Set([...metrics.values()].flat())])

  const providerNames = Object.keys(config.providers)
  const plan = buildPlan(suites, providerNames, options.filters, options.shard)
  const outDir = path.resolve(options.cwd, options.out)
  await mkdir(outDir, { recursive: true })
  const resultsFile = path.join(outDir, RESULTS_FILE)

  let previous: ResultRow[] = []
  let keepBytes: number | undefined
  if (options.resume) {
    const existing = await readResults(resultsFile)
    if (existing.truncatedTail)
      options.logger.warn(`${resultsFile}: dropped a cut-off last line; that case runs again`)
    previous = latestRows(existing.rows).filter((r) => !(r.error && RERUN_KINDS.has(r.error.kind)))
    keepBytes = existing.validBytes
  }
  const done = new Set(previous.map(rowKey))
  const planKeys = new Set(
    plan.map((i) => rowKey({ suite: i.suite.config.name, provider: i.provider, case: i.case.id })),
  )
  previous = previous.filter((r) => planKeys.has(rowKey(r)))
  const todo = plan.filter(
    (i) => !done.has(rowKey({ suite: i.suite.config.name, provider: i.provider, case: i.case.id })),
  )
  if (options.resume)
    options.logger.info(
      `eval: resuming, ${plan.length - todo.length} of ${plan.length} cases already finished`,
    )

  for (const item of todo) clientFor(item.provider, `suite '${item.suite.config.name}'`)
  const judges = new Map<string, ModelClient>()
  for (const suite of suiteConfigs) {
    if (!todo.some((i) => i.suite.config.name === suite.name)) continue
    if (needsJudge.has(suite.name)) {
      judges.set(
        suite.name,
        clientFor(suite.judge ?? 'judge', `suite '${suite.name}' (model metrics need a judge)`),
      )
    }
  }

  const writer = await ResultsWriter.open(resultsFile, options.resume ? keepBytes : undefined)
  const servers = new Map<string, ServerInfo>()
  let failure: InfrastructureError | undefined
  let rows: ResultRow[] = []
  let wallMs = new Map<string, number>()
  try {
    const probes = await Promise.allSettled(
      [...clients].map(async ([name, c]) =>
        servers.set(name, await c.probe({ signal: options.signal })),
      ),
    )
    const failed = probes.findIndex((p) => p.status === 'rejected')
    if (failed >= 0) {
      const [name, c] = [...clients][failed]!
      failure = describeFatal(
        name,
        c,
        (probes[failed] as PromiseRejectedResult).reason as ProviderError,
      )
    } else {
      for (const [name, info] of servers) {
        options.logger.info(
          `eval: ${name} → ${info.name}${info.version ? ` ${info.version}` : ''} (${(clients.get(name) as { baseUrl?: string }).baseUrl ?? ''})`,
        )
        const model = clients.get(name)!.model
        if (info.models.length > 0 && !info.models.includes(model)) {
          options.logger.warn(
            `provider '${name}': the server does not list model '${model}' (it serves ${info.models.join(', ')})`,
          )
        }
      }
      const perplexity = await resolvePerplexityScorings(
        todo,
        config.providers,
        servers,
        options.env,
        options.signal,
      )
      for (const [name, scoring] of perplexity) {
        const line = describeScoring(name, scoring)
        options.logger[line.level](line.message)
      }
      for (const suite of suiteConfigs) {
        if (suite.task !== 'perplexity') continue
        const used = new Set(
          todo.filter((i) => i.suite.config.name === suite.name).map((i) => i.provider),
        )
        const definition = perplexityDefinition(
          suite,
          new Map([...perplexity].filter(([p]) => used.has(p))),
        )
        if (definition === undefined) continue
        for (const m of METHOD_DEPENDENT_METRICS) definitions[`${suite.name}/${m}`] = definition
      }
      const progress = new Progress(todo.length, (line) => options.logger.info(line))
      const outcome = await runPlan(todo, {
        clients,
        servers,
        metrics,
        judges,
        perplexity,
        workers: (p) => {
          const c = config.providers[p]?.concurrency ?? 8
          return c + Math.max(2, Math.ceil(c / 4))
        },
        onRow: (row) => writer.append(row),
        onProgress: (error) => progress.tick(error),
        signal: options.signal,
      })
      progress.finish()
      rows = outcome.rows
      wallMs = outcome.wallMs
      if (outcome.fatal)
        failure = describeFatal(
          outcome.fatal.provider,
          clients.get(outcome.fatal.provider),
          outcome.fatal.error,
        )
    }
  } finally {
    await writer.close()
    await Promise.all([...clients.values()].map((c) => (c.close ? c.close() : Promise.resolve())))
  }

  const all = latestRows([...previous, ...rows])
  const corpus = new Map<string, Record<string, number>>()
  for (const suite of suiteConfigs) {
    const ms = metrics.get(suite.name) ?? []
    if (!ms.some((m) => m.kind === 'corpus')) continue
    for (const provider of new Set(
      all.filter((r) => r.suite === suite.name).map((r) => r.provider),
    )) {
      const inputs = all
        .filter((r) => r.suite === suite.name && r.provider === provider && !r.error)
        .map((r) => ({
          prediction: r.output ?? '',
          references: Array.isArray(r.reference) ? (r.reference as string[]) : [],
          vars: {},
        }))
      corpus.set(`${suite.name}\u0000${provider}`, scoreCorpus(ms, inputs))
    }
  }
  const datasets: Record<string, string> = {}
  for (const s of suites) if (s.dataset) datasets[s.dataset.file] = s.dataset.sha256
  const seeds = suiteConfigs
    .map((s) => s.generation?.seed)
    .filter((x): x is number => x !== undefined)
  const provenance = buildProvenance({
    configText: loaded.text,
    datasets,
    metricDefinitions: definitions,
    models: Object.fromEntries(Object.entries(config.providers).map(([n, p]) => [n, p.model])),
    servers: Object.fromEntries(
      [...servers].map(([n, i]) => [
        n,
        {
          name: i.name,
          version: i.version,
          prompt_logprobs: i.promptLogprobs ?? null,
          tokenize: i.tokenize ?? null,
        },
      ]),
    ),
    seed: seeds[0] ?? null,
    env: options.env,
    commit: await commitSha(options.env, options.cwd),
    startedAt,
    finishedAt: new Date(),
  })
  const summary = buildSummary(all, { provenance, planned: plan.length, wallMs, corpus })
  if (options.shard) summary.shard = `${options.shard.index}/${options.shard.count}`
  for (const warning of perplexityMethodWarnings(summary.suites))
    options.logger.warn(`eval: ${warning}`)
  const clientStats = Object.fromEntries([...clients].map(([n, c]) => [n, c.stats?.()]))
  summary.clients = clientStats
  await writeJsonAtomic(path.join(outDir, SUMMARY_FILE), summary)
  const result: EvalRunResult = {
    outDir,
    summary,
    cases: all.length,
    errors: summary.totals.errors,
  }
  if (failure) result.failure = failure
  return result
}
