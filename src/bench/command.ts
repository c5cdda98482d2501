import path from 'node:path'
import type { Command } from '../cli/command.js'
import { intFlag, numberFlag, parseCommandArgs } from '../cli/args.js'
import { loadConfig } from '../config/load.js'
import { ConfigurationError, ExitCode, UsageError } from '../errors.js'
import { logBenchToMlflow, MLFLOW_FLAGS } from '../dispatch/mlflow-records.js'
import type { Slo } from './aggregate.js'
import { buildBenchJson, writeBenchJson } from './output.js'
import { parseEndpoint } from './probe.js'
import { benchMarkdown } from './report-section.js'
import { runBenchmark, type LoadPoint, type ScenarioSpec } from './run.js'

const usage =
  'llmops bench [--config F] [--scenario S] [--endpoint URL --model M] [--api chat|completions] [--concurrency N,...] [--rate R,...] [--burstiness B] [--requests K] [--duration S] [--warmup W] [--input-tokens I] [--output-tokens O] [--seed N] [--slo-ttft MS] [--slo-tpot MS] [--slo-e2e MS] [--timeout S] [--workers N] [--no-calibrate] [--no-server-metrics] [--out D] [--mlflow-uri URL | --no-mlflow]'

function list(name: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined
  const items = value.split(',').map((v) => numberFlag(name, v.trim())!)
  if (items.some((v) => !(v > 0)))
    throw new UsageError(`--${name} takes positive numbers, got '${value}'`)
  return items
}

/** `llmops bench`: the streaming latency benchmark; writes D/bench.json. */
export const benchCommand: Command = {
  name: 'bench',
  summary: 'Run the streaming latency benchmark (TTFT, TPOT, ITL, throughput, goodput)',
  usage,
  async run(ctx) {
    const { values: v } = parseCommandArgs({ name: 'bench', usage }, ctx.argv, {
      config: { type: 'string' },
      scenario: { type: 'string' },
      provider: { type: 'string' },
      endpoint: { type: 'string' },
      model: { type: 'string' },
      api: { type: 'string' },
      'api-key-env': { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      burstiness: { type: 'string' },
      requests: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'input-tokens': { type: 'string' },
      'output-tokens': { type: 'string' },
      seed: { type: 'string' },
      'slo-ttft': { type: 'string' },
      'slo-tpot': { type: 'string' },
      'slo-e2e': { type: 'string' },
      timeout: { type: 'string' },
      stall: { type: 'string' },
      workers: { type: 'string' },
      'max-error-rate': { type: 'string' },
      'no-calibrate': { type: 'boolean' },
      'no-server-metrics': { type: 'boolean' },
      out: { type: 'string' },
      ...MLFLOW_FLAGS,
    })
    const api = v.api ?? 'chat'
    if (api !== 'chat' && api !== 'completions')
      throw new UsageError(`--api must be chat or completions, got '${api}'`)
    const loaded = v.config ? await loadConfig(v.config, ctx.env, ctx.cwd) : null
    const bench = loaded?.config.benchmark
    let url = v.endpoint
    let model = v.model
    let apiKeyEnv = v['api-key-env']
    const providerName =
      v.provider ??
      bench?.scenarios.find((s) => s.provider)?.provider ??
      bench?.provider ??
      (loaded ? 'candidate' : undefined)
    if (loaded && providerName && (!url || !model)) {
      const provider = loaded.config.providers[providerName]
      if (!provider)
        throw new ConfigurationError(
          `${loaded.file}: benchmark provider '${providerName}' is not defined under providers`,
        )
      url ??= provider.base_url
      model ??= provider.model
      apiKeyEnv ??= provider.api_key_env
    }
    if (!url || !model)
      throw new UsageError(
        `llmops bench needs --endpoint and --model (or --config with a provider)\nusage: ${usage}`,
      )
    try {
      new URL(url)
    } catch {
      throw new UsageError(
        `--endpoint must be a URL such as http://127.0.0.1:8000/v1, got '${url}'`,
      )
    }

    const concurrency = list('concurrency', v.concurrency)
    const rate = list('rate', v.rate)
    const burstiness = numberFlag('burstiness', v.burstiness)
    const slo: Slo = {
      ttft_ms: numberFlag('slo-ttft', v['slo-ttft']),
      tpot_ms: numberFlag('slo-tpot', v['slo-tpot']),
      e2e_ms: numberFlag('slo-e2e', v['slo-e2e']),
    }
    const flagSlo = Object.values(slo).some((x) => x !== undefined) ? slo : undefined
    const base = bench?.scenarios.filter((s) => !v.scenario || s.name === v.scenario) ?? [undefined]
    if (base.length === 0)
      throw new UsageError(`no benchmark scenario named '${v.scenario}' in ${v.config}`)
    const scenarios: ScenarioSpec[] = base.map((s) => {
      const b = burstiness ?? s?.burstiness ?? 1
      const rates = rate ?? (concurrency ? undefined : s?.rate)
      const loads: LoadPoint[] = rates
        ? rates.map((r) => ({ mode: 'open', rate: r, burstiness: b }))
        : (concurrency ?? s?.concurrency ?? [1]).map((c) => ({
            mode: 'closed',
            concurrency: Math.round(c),
          }))
      return {
        name: s?.name ?? 'default',
        loads,
        requests: intFlag('requests', v.requests, { min: 1 }) ?? s?.requests ?? 200,
        durationS: numberFlag('duration', v.duration) ?? s?.duration_s ?? null,
        warmup: intFlag('warmup', v.warmup) ?? s?.warmup ?? 8,
        inputTokens:
          intFlag('input-tokens', v['input-tokens'], { min: 1 }) ?? s?.input_tokens ?? 256,
        outputTokens:
          intFlag('output-tokens', v['output-tokens'], { min: 1 }) ?? s?.output_tokens ?? 128,
        seed: intFlag('seed', v.seed) ?? s?.seed ?? 0,
        slo: flagSlo ?? s?.slo,
        dataset: s?.dataset && loaded ? path.resolve(loaded.dir, s.dataset) : null,
      }
    })
    const timeoutMs = (numberFlag('timeout', v.timeout) ?? 60) * 1000
    const endpoint = parseEndpoint(url, model, api, apiKeyEnv ? ctx.env[apiKeyEnv] : undefined)
    const startedAt = new Date()
    const outcome = await runBenchmark(scenarios, {
      endpoint,
      timeoutMs,
      stallMs: (numberFlag('stall', v.stall) ?? Math.min(30, timeoutMs / 1000)) * 1000,
      workers: intFlag('workers', v.workers, { min: 0 }) ?? null,
      calibrate: !v['no-calibrate'],
      serverMetrics: !v['no-server-metrics'],
      maxErrorRate: numberFlag('max-error-rate', v['max-error-rate']) ?? 0.01,
      logger: ctx.logger,
      signal: ctx.signal,
    })
    const json = buildBenchJson(outcome, {
      endpoint: { url, model, api },
      configText: loaded?.text ?? null,
      seed: scenarios[0]?.seed ?? 0,
      commit: ctx.env.GITHUB_SHA ?? null,
      ref: ctx.env.GITHUB_REF ?? null,
      runner: ctx.env.RUNNER_NAME ?? null,
      startedAt,
      finishedAt: new Date(),
    })
    const out = path.resolve(ctx.cwd, v.out ?? 'llmops-results')
    const file = await writeBenchJson(out, json)
    ctx.logger.info(`wrote ${file}`)
    const markdown = benchMarkdown(json)
    if (outcome.unreachable) ctx.logger.error(outcome.error ?? 'the endpoint did not answer')
    const mlflow = await logBenchToMlflow(ctx, {
      config: loaded?.config,
      uri: v['mlflow-uri'],
      disabled: v['no-mlflow'],
      outDir: out,
      bench: json,
      scenarios,
      endpoint: { url, model, api },
      markdown,
      failure: outcome.unreachable ? (outcome.error ?? 'the endpoint did not answer') : undefined,
    })
    const summary = markdown + (mlflow?.summary ?? '')
    if (outcome.unreachable) {
      return {
        exitCode: ExitCode.infrastructure,
        outputs: { 'bench-path': file, ...mlflow?.outputs },
        summary,
      }
    }
    return {
      exitCode: ExitCode.ok,
      outputs: { 'bench-path': file, validity: json.validity.verdict, ...mlflow?.outputs },
      summary,
    }
  },
}
