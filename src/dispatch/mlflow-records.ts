import type { CommandContext } from '../cli/command.js'
import type { ScenarioSpec } from '../bench/run.js'
import type { Config } from '../config/schema.js'
import { loadConfig } from '../config/load.js'
import type { Bench } from '../contracts/bench.js'
import type { Summary } from '../contracts/summary.js'
import {
  logRun,
  mlflowOutputs,
  mlflowSummaryLine,
  resolveMlflowTarget,
  writeMlflowRecord,
  type MlflowLogResult,
  type RunRecord,
} from './mlflow-runs.js'

type Params = RunRecord['params']
type Metrics = RunRecord['metrics']

const hostOf = (url: string | undefined) => {
  if (!url) return undefined
  try {
    return new URL(url).host
  } catch {
    return undefined
  }
}

const serverWord = (s: { name: string; version: string | null } | undefined) =>
  s ? `${s.name}${s.version ? ` ${s.version}` : ''}` : undefined

/** The MLflow record of an eval (or merged, or smoke) summary.json. */
export function evalRecord(
  summary: Summary,
  config: Config | undefined,
  options: { kind?: 'eval' | 'smoke'; failure?: string | undefined; markdown: string },
): RunRecord {
  const pv = summary.provenance
  const suites = Object.keys(summary.suites).sort()
  const providers = [
    ...new Set(Object.values(summary.suites).flatMap((s) => Object.keys(s.providers))),
  ].sort()
  const params: Params = {
    suites: suites.join(','),
    providers: providers.join(','),
    tool_version: pv.tool_version,
    config_hash: pv.config_hash,
    seed: pv.seed,
  }
  for (const p of providers) {
    params[`provider.${p}.model`] = pv.models[p] ?? config?.providers[p]?.model
    params[`provider.${p}.host`] = hostOf(config?.providers[p]?.base_url)
    params[`provider.${p}.server`] = serverWord(pv.servers[p])
  }
  for (const s of suites) {
    params[`suite.${s}.dataset_hash`] = pv.dataset_hashes[s]
    const generation = config?.suites.find((x) => x.name === s)?.generation
    for (const [k, v] of Object.entries(generation ?? {}))
      params[`suite.${s}.generation.${k}`] = Array.isArray(v) ? JSON.stringify(v) : v
  }
  for (const [m, def] of Object.entries(pv.metric_definitions ?? {})) params[`metric.${m}`] = def

  const metrics: Metrics = []
  const add = (key: string, value: number | null | undefined) => {
    if (typeof value === 'number') metrics.push({ key, value })
  }
  for (const s of suites) {
    for (const [p, r] of Object.entries(summary.suites[s]?.providers ?? {})) {
      const at = `${s}/${p}`
      add(`${at}/cases`, r.cases)
      add(`${at}/errors`, r.errors)
      add(`${at}/error_rate`, r.cases > 0 ? r.errors / r.cases : null)
      for (const [m, v] of Object.entries(r.metrics)) {
        add(`${at}/${m}`, v.mean)
        add(`${at}/${m}.n`, v.n)
        add(`${at}/${m}.ci95_low`, v.ci95?.[0])
        add(`${at}/${m}.ci95_high`, v.ci95?.[1])
      }
      for (const [m, v] of Object.entries(r.corpus ?? {})) add(`${at}/corpus.${m}`, v)
      add(`${at}/prompt_tokens`, r.usage?.prompt_tokens)
      add(`${at}/completion_tokens`, r.usage?.completion_tokens)
      add(`${at}/wall_ms`, r.wall_ms)
      add(`${at}/cache_hits`, r.cache_hits)
    }
  }
  add('totals/cases', summary.totals.cases)
  add('totals/errors', summary.totals.errors)
  add('totals/cached', summary.totals.cached)

  const kind = options.kind ?? 'eval'
  const errors = summary.totals.errors
  return {
    kind,
    identity: `${suites.join(',')}|${providers.join(',')}`,
    name: `${kind} ${suites.join(',')}${pv.commit ? ` @ ${pv.commit.slice(0, 12)}` : ''}`,
    commit: pv.commit,
    params,
    metrics,
    failed: options.failure ?? (errors > 0 ? `${errors} case(s) errored` : undefined),
    artifacts: [
      {
        name: 'summary.json',
        content: JSON.stringify(summary, null, 2),
        contentType: 'application/json',
      },
      { name: 'report.md', content: options.markdown, contentType: 'text/markdown' },
    ],
  }
}

/** The MLflow record of a benchmark's bench.json. */
export function benchRecord(
  bench: Bench,
  scenarios: ScenarioSpec[],
  endpoint: { url: string; model: string; api: string },
  markdown: string,
  failure?: string,
): RunRecord {
  const server = bench.provenance?.servers.candidate
  const params: Params = {
    scenarios: scenarios.map((s) => s.name).join(','),
    model: endpoint.model,
    'endpoint.host': hostOf(endpoint.url),
    api: endpoint.api,
    server: serverWord(server),
    tool_version: bench.provenance?.tool_version,
    config_hash: bench.provenance?.config_hash,
  }
  for (const s of scenarios) {
    const at = `scenario.${s.name}`
    const closed = s.loads.flatMap((l) => (l.mode === 'closed' ? [l.concurrency] : []))
    const open = s.loads.flatMap((l) => (l.mode === 'open' ? [l.rate] : []))
    Object.assign(params, {
      [`${at}.concurrency`]: closed.join(','),
      [`${at}.rate`]: open.join(','),
      [`${at}.burstiness`]: s.loads.find((l) => l.mode === 'open')?.burstiness,
      [`${at}.requests`]: s.requests,
      [`${at}.duration_s`]: s.durationS,
      [`${at}.warmup`]: s.warmup,
      [`${at}.input_tokens`]: s.inputTokens,
      [`${at}.output_tokens`]: s.outputTokens,
      [`${at}.seed`]: s.seed,
      [`${at}.dataset`]: s.dataset ? s.dataset.split(/[\\/]/).pop() : undefined,
    })
  }
  const metrics: Metrics = []
  for (const run of bench.runs) {
    const at = `${run.scenario}/${run.load}`
    params[`run.${run.scenario}.${run.load}.validity`] = run.validity.verdict
    for (const [k, v] of Object.entries(run.summary)) {
      if (typeof v === 'number') metrics.push({ key: `${at}/${k}`, value: v })
      else if (v && typeof v === 'object') {
        for (const q of ['mean', 'p50', 'p90', 'p95', 'p99'] as const) {
          const x = v[q]
          if (typeof x === 'number') metrics.push({ key: `${at}/${k}.${q}`, value: x })
        }
      }
    }
  }
  const verdict = bench.validity.verdict
  return {
    kind: 'bench',
    identity: `${scenarios.map((s) => s.name).join(',')}|${endpoint.model}`,
    name: `bench ${scenarios.map((s) => s.name).join(',')}${bench.provenance?.commit ? ` @ ${bench.provenance.commit.slice(0, 12)}` : ''}`,
    commit: bench.provenance?.commit ?? null,
    params,
    metrics,
    failed:
      failure ??
      (verdict === 'invalid'
        ? `invalid benchmark: ${bench.validity.reasons.join('; ') || 'no reason given'}`
        : undefined),
    artifacts: [
      { name: 'bench.json', content: JSON.stringify(bench), contentType: 'application/json' },
      { name: 'report.md', content: markdown, contentType: 'text/markdown' },
    ],
  }
}

/** What a command adds to its result after logging: outputs and a job-summary line. */
export interface MlflowHookResult {
  result: MlflowLogResult
  outputs: Record<string, string>
  summary: string
}

/** Flags every logging command accepts (`parseCommandArgs` options). */
export const MLFLOW_FLAGS = {
  'mlflow-uri': { type: 'string' },
  'no-mlflow': { type: 'boolean' },
} as const

async function configOf(ctx: CommandContext, file: string | undefined) {
  if (!file) return undefined
  try {
    return (await loadConfig(file, ctx.env, ctx.cwd)).config
  } catch {
    return undefined
  }
}

/**
 * The hook behind `llmops eval` and `llmops merge`: logs summary.json to MLflow when a tracking
 * server is configured, writes `<out>/mlflow.json`, and returns outputs and a summary line. A shard
 * (`--shard i/n`) is not logged: `llmops merge` logs the merged result once.
 */
export async function logEvalToMlflow(
  ctx: CommandContext,
  input: {
    configFile?: string | undefined
    uri?: string | undefined
    disabled?: boolean | undefined
    shard?: boolean
    outDir: string
    summary: Summary
    failure?: string | undefined
    markdown: string
  },
): Promise<MlflowHookResult | undefined> {
  const config = await configOf(ctx, input.configFile)
  const target = resolveMlflowTarget({
    uri: input.uri,
    disabled: input.disabled,
    config: config?.mlflow,
    env: ctx.env,
  })
  if (!target) return undefined
  if (input.shard) {
    ctx.logger.info('MLflow: a shard is not logged on its own; llmops merge logs the merged run')
    return undefined
  }
  const record = evalRecord(input.summary, config, {
    failure: input.failure,
    markdown: input.markdown,
  })
  return finish(ctx, target, record, input.outDir, 'eval')
}

/** The hook behind `llmops bench`: logs bench.json to MLflow when a tracking server is configured. */
export async function logBenchToMlflow(
  ctx: CommandContext,
  input: {
    config?: Config | undefined
    uri?: string | undefined
    disabled?: boolean | undefined
    outDir: string
    bench: Bench
    scenarios: ScenarioSpec[]
    endpoint: { url: string; model: string; api: string }
    markdown: string
    failure?: string | undefined
  },
): Promise<MlflowHookResult | undefined> {
  const target = resolveMlflowTarget({
    uri: input.uri,
    disabled: input.disabled,
    config: input.config?.mlflow,
    env: ctx.env,
  })
  if (!target) return undefined
  const record = benchRecord(
    input.bench,
    input.scenarios,
    input.endpoint,
    input.markdown,
    input.failure,
  )
  return finish(ctx, target, record, input.outDir, 'bench')
}

async function finish(
  ctx: CommandContext,
  target: NonNullable<ReturnType<typeof resolveMlflowTarget>>,
  record: RunRecord,
  outDir: string,
  kind: string,
): Promise<MlflowHookResult> {
  let result: MlflowLogResult
  if (ctx.signal.aborted) {
    // A cancelled step has seconds before it is killed: say so rather than start a record.
    result = { status: 'failed', error: `the ${kind} was cancelled before its run was logged` }
    ctx.logger.warn(`MLflow: not logged: ${result.error}`)
  } else result = await logRun(target, record, { env: ctx.env, logger: ctx.logger })
  try {
    await writeMlflowRecord(outDir, result)
  } catch (error) {
    ctx.logger.warn(`could not write ${outDir}/mlflow.json: ${String(error)}`)
  }
  return {
    result,
    outputs: mlflowOutputs(result),
    summary: `\n\n${mlflowSummaryLine(kind, result)}\n`,
  }
}
