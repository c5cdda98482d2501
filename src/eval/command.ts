import path from 'node:path'
import { parseCommandArgs } from '../cli/args.js'
import type { Command, CommandContext, CommandResult } from '../cli/command.js'
import { ExitCode } from '../errors.js'
import { logEvalToMlflow, MLFLOW_FLAGS } from '../dispatch/mlflow-records.js'
import { parseShard } from './plan.js'
import { runEval, type EvalRunOptions } from './run-eval.js'

const usage =
  'llmops eval --config F [--suite S] [--provider P] [--tag T] [--shard i/n] [--out D] [--resume] [--cache-dir D] [--no-cache] [--mlflow-uri URL | --no-mlflow]'

/** Comma-separated, repeatable flag values as one list (undefined when the flag is absent). */
export function listFlag(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined
  const out = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)
  return out.length ? out : undefined
}

/** Parses `llmops eval` flags into run options (without the edges: env, logger, signal). */
export function parseEvalArgs(argv: string[], cwd: string) {
  const { values } = parseCommandArgs({ name: 'eval', usage }, argv, {
    config: { type: 'string', default: '.github/llmops.yml' },
    suite: { type: 'string', multiple: true },
    provider: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    shard: { type: 'string' },
    out: { type: 'string', default: 'llmops-results/eval' },
    resume: { type: 'boolean', default: false },
    'cache-dir': { type: 'string', default: '.llmops/cache' },
    'no-cache': { type: 'boolean', default: false },
    ...MLFLOW_FLAGS,
  })
  return {
    configFile: values.config,
    out: values.out,
    filters: {
      suites: listFlag(values.suite),
      providers: listFlag(values.provider),
      tags: listFlag(values.tag),
    },
    shard: values.shard === undefined || values.shard === '' ? undefined : parseShard(values.shard),
    resume: values.resume,
    cacheDir: values['no-cache'] ? undefined : path.resolve(cwd, values['cache-dir']),
    mlflow: { uri: values['mlflow-uri'], disabled: values['no-mlflow'] },
  }
}

function jobSummary(result: Awaited<ReturnType<typeof runEval>>): string {
  const lines = [
    '### llmops eval',
    '',
    '| suite | provider | cases | errors | cached |',
    '|---|---|---:|---:|---:|',
  ]
  for (const [suite, s] of Object.entries(result.summary.suites)) {
    for (const [provider, p] of Object.entries(s.providers)) {
      lines.push(`| ${suite} | ${provider} | ${p.cases} | ${p.errors} | ${p.cache_hits ?? 0} |`)
    }
  }
  return lines.join('\n')
}

/** Runs `llmops eval` with explicit extra options (tests inject the metric resolver or client backoff). */
export async function runEvalCommand(
  ctx: CommandContext,
  extra: Partial<EvalRunOptions> = {},
): Promise<CommandResult> {
  const { mlflow: mlflowFlags, ...args } = parseEvalArgs(ctx.argv, ctx.cwd)
  const result = await runEval({
    ...args,
    cwd: ctx.cwd,
    env: ctx.env,
    logger: ctx.logger,
    signal: ctx.signal,
    ...extra,
  })
  const outputs = {
    'results-dir': result.outDir,
    cases: String(result.cases),
    errors: String(result.errors),
  }
  const t = result.summary.totals
  ctx.logger.info(
    `eval: ${result.cases} cases (${result.cases - result.errors} scored, ${result.errors} errors, ${t.cached} cached)` +
      `${typeof t.not_run === 'number' && t.not_run > 0 ? `, ${t.not_run} not run` : ''} → ${path.relative(ctx.cwd, result.outDir) || '.'}`,
  )
  if (result.failure) ctx.logger.error(result.failure.message)
  const mlflow = await logEvalToMlflow(ctx, {
    ...mlflowFlags,
    configFile: args.configFile,
    shard: args.shard !== undefined,
    outDir: result.outDir,
    summary: result.summary,
    failure: result.failure?.message,
    markdown: jobSummary(result),
  })
  return {
    exitCode: result.failure ? ExitCode.infrastructure : ExitCode.ok,
    outputs: { ...outputs, ...mlflow?.outputs },
    summary: jobSummary(result) + (mlflow?.summary ?? ''),
  }
}

/** `llmops eval`: run evaluation suites against OpenAI-compatible servers. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'Run evaluation suites against OpenAI-compatible servers',
  usage,
  run: (ctx) => runEvalCommand(ctx),
}
