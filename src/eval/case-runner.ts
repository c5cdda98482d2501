import type { ErrorKind, ResultRow } from '../contracts/results.js'
import { getErrorMessage } from '../errors.js'
import type { CaseInput, Metric, MetricValue } from '../metrics/types.js'
import { ProviderError } from '../providers/provider-error.js'
import type { ModelClient, ServerInfo } from '../providers/types.js'
import type { PlanItem } from './plan.js'
import { UNRESOLVED_SCORING, type PerplexityScoring } from './tasks/perplexity-scoring.js'
import { runGenerateTask } from './tasks/generate-task.js'
import { promptLogprobsUnsupported, runMultipleChoiceTask } from './tasks/multiple-choice-task.js'
import { runPerplexityTask } from './tasks/perplexity-task.js'
import type { TaskOutcome } from './tasks/task-outcome.js'
import { TemplateError } from './template.js'

/** What one case needs to run: the provider's client and probe, the judge, the suite's metrics. */
export interface CaseContext {
  client: ModelClient
  info: ServerInfo
  judge?: ModelClient | undefined
  metrics: readonly Metric[]
  /** How this provider's perplexity cases are scored (resolved once per provider). */
  perplexity?: PerplexityScoring | undefined
  signal: AbortSignal
}

/** A failure that carries the error kind results.jsonl records for it. */
export function errorKindOf(error: unknown): ErrorKind {
  if (error instanceof ProviderError) return error.kind
  if (error instanceof TemplateError) return 'template'
  if (error instanceof MetricError) return 'metric'
  return 'bad_response'
}

/** A metric that threw on a case. */
export class MetricError extends Error {
  constructor(metric: string, cause: unknown) {
    super(`metric ${metric}: ${getErrorMessage(cause)}`, { cause })
    this.name = 'MetricError'
  }
}

async function runTask(item: PlanItem, ctx: CaseContext): Promise<TaskOutcome> {
  const suite = item.suite.config
  const options = { signal: ctx.signal }
  switch (suite.task) {
    case 'multiple_choice':
      if (ctx.info.promptLogprobs === false)
        throw promptLogprobsUnsupported(item.provider, ctx.info)
      return runMultipleChoiceTask(suite, item.case, ctx.client, ctx.info, options)
    case 'perplexity':
      if (ctx.info.promptLogprobs === false)
        throw promptLogprobsUnsupported(item.provider, ctx.info)
      return runPerplexityTask(
        suite,
        item.case,
        ctx.client,
        ctx.perplexity ?? UNRESOLVED_SCORING,
        options,
      )
    default:
      return runGenerateTask(suite, item.case, ctx.client, options)
  }
}

/** The input case metrics see. */
export function caseInput(outcome: TaskOutcome, vars: Record<string, unknown>): CaseInput {
  const input: CaseInput = {
    prediction: outcome.output ?? '',
    references: outcome.references,
    vars,
    prompt: outcome.prompt,
  }
  if (outcome.samples) input.samples = outcome.samples
  return input
}

async function applyMetrics(
  outcome: TaskOutcome,
  vars: Record<string, unknown>,
  ctx: CaseContext,
): Promise<Record<string, MetricValue>> {
  const values: Record<string, MetricValue> = { ...outcome.metrics }
  const input = caseInput(outcome, vars)
  for (const metric of ctx.metrics) {
    try {
      if (metric.kind === 'case') Object.assign(values, metric.score(input))
      else if (metric.kind === 'model') {
        // Suites whose own metrics need a judge always get one; safety's model metrics call their own endpoint.
        Object.assign(values, await metric.score(input, ctx.judge ?? ctx.client, ctx.signal))
      }
    } catch (error) {
      // Transport failures of the judge keep their own kind (a dead judge is infrastructure).
      if (error instanceof ProviderError) throw error
      throw new MetricError(metric.name, error)
    }
  }
  return values
}

/** The outcome of one case: a result row, or a failure that must stop the run (unreachable, cancelled). */
export type CaseResult = { row: ResultRow } | { fatal: ProviderError }

/**
 * Runs one case end to end: the task against the provider, then case and model metrics. Every case
 * ends in a row (scored, or with its error kind) except when the server is unreachable after retries
 * or the run was cancelled: those stop the run and the case is left for `--resume`.
 */
export async function runCase(item: PlanItem, ctx: CaseContext): Promise<CaseResult> {
  const base = {
    suite: item.suite.config.name,
    case: item.case.id,
    provider: item.provider,
    model: ctx.client.model,
    ...(item.case.source ? { source: item.case.source } : {}),
    ...(item.case.tags.length ? { tags: item.case.tags } : {}),
  }
  let outcome: TaskOutcome | undefined
  try {
    outcome = await runTask(item, ctx)
    const metrics = await applyMetrics(outcome, item.case.vars, ctx)
    return {
      row: {
        ...base,
        input: outcome.input,
        output: outcome.output,
        reference: outcome.references,
        metrics,
        error: null,
        latency_ms: outcome.latency_ms,
        usage: { ...outcome.usage },
        cached: outcome.cached,
        ...(outcome.samples ? { samples: outcome.samples } : {}),
        ...(outcome.loglikelihoods ? { loglikelihoods: outcome.loglikelihoods } : {}),
        ...(outcome.method ? { method: outcome.method } : {}),
      },
    }
  } catch (error) {
    if (
      error instanceof ProviderError &&
      (error.kind === 'connection' || error.kind === 'cancelled' || ctx.signal.aborted)
    ) {
      return { fatal: error }
    }
    return {
      row: {
        ...base,
        input: outcome?.input ?? null,
        output: outcome?.output ?? null,
        ...(outcome ? { reference: outcome.references } : {}),
        metrics: {},
        error: { kind: errorKindOf(error), message: getErrorMessage(error) },
        latency_ms: outcome?.latency_ms ?? null,
        usage: { ...(outcome?.usage ?? {}) },
        cached: outcome?.cached ?? false,
      },
    }
  }
}
