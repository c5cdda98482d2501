import path from 'node:path'
import { parseCommandArgs } from '../cli/args.js'
import type { Command, CommandContext, CommandResult } from '../cli/command.js'
import { ExitCode, UsageError } from '../errors.js'
import { logEvalToMlflow, MLFLOW_FLAGS } from '../dispatch/mlflow-records.js'
import { resolveMetric } from '../metrics/registry.js'
import { mergeOutputs } from './merge.js'
import type { MetricResolver } from './metric-resolution.js'

const usage = 'llmops merge D1 D2 ... --out D [--config F] [--mlflow-uri URL | --no-mlflow]'

/** Runs `llmops merge` (tests may pass their own metric resolver for corpus metrics). */
export async function runMergeCommand(
  ctx: CommandContext,
  resolve: MetricResolver = (spec) => resolveMetric(spec, { configDir: ctx.cwd }),
): Promise<CommandResult> {
  const { values, positionals } = parseCommandArgs(
    { name: 'merge', usage },
    ctx.argv,
    { out: { type: 'string' }, config: { type: 'string' }, ...MLFLOW_FLAGS },
    { allowPositionals: true },
  )
  if (!values.out) throw new UsageError(`llmops merge: --out is required\nusage: ${usage}`)
  if (positionals.length === 0)
    throw new UsageError(`llmops merge: name at least one shard directory\nusage: ${usage}`)
  const outDir = path.resolve(ctx.cwd, values.out)
  const summary = await mergeOutputs(
    positionals.map((d) => path.resolve(ctx.cwd, d)),
    outDir,
    resolve,
    ctx.logger,
  )
  ctx.logger.info(
    `merge: ${positionals.length} shard(s), ${summary.totals.cases} cases, ${summary.totals.errors} errors → ${values.out}`,
  )
  const markdown = `### llmops merge\n\n${positionals.length} shard(s), ${summary.totals.cases} cases, ${summary.totals.errors} errors`
  const mlflow = await logEvalToMlflow(ctx, {
    configFile: values.config,
    uri: values['mlflow-uri'],
    disabled: values['no-mlflow'],
    outDir,
    summary,
    markdown,
  })
  return {
    exitCode: ExitCode.ok,
    outputs: {
      'results-dir': outDir,
      cases: String(summary.totals.cases),
      errors: String(summary.totals.errors),
      ...mlflow?.outputs,
    },
    ...(mlflow ? { summary: markdown + mlflow.summary } : {}),
  }
}

/** `llmops merge`: merge the outputs of sharded eval runs. */
export const mergeCommand: Command = {
  name: 'merge',
  summary: 'Merge the outputs of sharded eval runs',
  usage,
  run: (ctx) => runMergeCommand(ctx),
}
