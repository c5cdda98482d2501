import { z } from 'zod'
import type { MetricSpec } from '../eval/config-schema.js'
import { didYouMean } from '../core/did-you-mean.js'
import { ConfigurationError } from '../errors.js'
import {
  containsMetric,
  containsOptionsSchema,
  exactMetric,
  exactOptionsSchema,
  jsonSchemaMetric,
  jsonSchemaOptionsSchema,
  jsonValidMetric,
  jsonValidOptionsSchema,
  numericMetric,
  numericOptionsSchema,
  regexMetric,
  regexOptionsSchema,
  startsWithMetric,
  startsWithOptionsSchema,
} from './check-metrics.js'
import { customMetric, customOptionsSchema } from './custom-metric.js'
import {
  judgeMetric,
  judgeOptionsSchema,
  pairwiseJudgeMetric,
  pairwiseOptionsSchema,
  selfcheckMetric,
  selfcheckOptionsSchema,
} from './judge-metrics.js'
import {
  bleuMetric,
  bleuOptionsSchema,
  chrfMetric,
  chrfOptionsSchema,
  corpusBleuMetric,
  corpusChrfMetric,
  meteorMetric,
  meteorOptionsSchema,
  rougeMetric,
  rougeOptionsSchema,
} from './reference-metrics.js'
import type { RougeType } from './rouge.js'
import type { Metric } from './types.js'

/** Where relative paths in metric options (JSON Schemas, custom modules) are resolved. */
export interface ResolveContext {
  configDir?: string
}

type Factory = (options: unknown, ctx: Required<ResolveContext>) => Metric

function withSchema<S extends z.ZodType>(
  schema: S,
  build: (o: z.output<S>, ctx: Required<ResolveContext>) => Metric,
  bare?: unknown,
): Factory {
  return (options, ctx) => {
    const parsed = schema.safeParse(options === undefined ? (bare ?? {}) : options)
    if (!parsed.success) throw new Error(z.prettifyError(parsed.error).replaceAll('\n', '; '))
    return build(parsed.data, ctx)
  }
}

const rouge = (type: RougeType): Factory =>
  withSchema(rougeOptionsSchema, (o) => rougeMetric(type, o))

const FACTORIES: Record<string, Factory> = {
  exact: withSchema(exactOptionsSchema, (o) => exactMetric(o)),
  bleu: withSchema(bleuOptionsSchema, (o) => bleuMetric(o)),
  corpus_bleu: withSchema(bleuOptionsSchema, (o) => corpusBleuMetric(o)),
  chrf: withSchema(chrfOptionsSchema, (o) => chrfMetric(o)),
  'chrf++': withSchema(chrfOptionsSchema, (o) =>
    chrfMetric({ word_order: 2, ...o }, o.name ?? 'chrf++'),
  ),
  corpus_chrf: withSchema(chrfOptionsSchema, (o) => corpusChrfMetric(o)),
  rouge1: rouge('rouge1'),
  rouge2: rouge('rouge2'),
  rouge3: rouge('rouge3'),
  rouge4: rouge('rouge4'),
  rouge5: rouge('rouge5'),
  rouge6: rouge('rouge6'),
  rouge7: rouge('rouge7'),
  rouge8: rouge('rouge8'),
  rouge9: rouge('rouge9'),
  rougeL: rouge('rougeL'),
  rougeLsum: rouge('rougeLsum'),
  meteor: withSchema(meteorOptionsSchema, (o) => meteorMetric(o)),
  contains: withSchema(containsOptionsSchema, (o) => containsMetric(o), null),
  regex: withSchema(regexOptionsSchema, (o) => regexMetric(o), null),
  starts_with: withSchema(startsWithOptionsSchema, (o) => startsWithMetric(o), null),
  json_valid: withSchema(jsonValidOptionsSchema, (o) => jsonValidMetric(o)),
  json_schema: withSchema(
    jsonSchemaOptionsSchema,
    (o, ctx) => jsonSchemaMetric(o, ctx.configDir),
    null,
  ),
  numeric: withSchema(numericOptionsSchema, (o) => numericMetric(o)),
  judge: withSchema(judgeOptionsSchema, (o) => judgeMetric(o)),
  pairwise_judge: withSchema(pairwiseOptionsSchema, (o) => pairwiseJudgeMetric(o)),
  selfcheck: withSchema(selfcheckOptionsSchema, (o) => selfcheckMetric(o)),
  custom: withSchema(customOptionsSchema, (o, ctx) => customMetric(o, ctx.configDir), null),
}

/** Every metric name the registry knows. */
export const METRIC_NAMES: readonly string[] = Object.keys(FACTORIES)

/**
 * Turns a config metric spec (`rougeL`, `{ bleu: { tokenize: intl } }`, `{ contains: "{{ x }}" }`)
 * into a metric. Unknown names and bad options throw a ConfigurationError that lists the valid
 * names (with a did-you-mean). Custom metrics must be `prepare()`d before scoring
 * (see `prepareMetrics`).
 */
export function resolveMetric(spec: MetricSpec, ctx: ResolveContext = {}): Metric {
  const [name, options] =
    typeof spec === 'string' ? [spec, undefined] : (Object.entries(spec)[0] ?? ['', undefined])
  const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined
  if (!factory) {
    const guess = didYouMean(name, METRIC_NAMES)
    throw new ConfigurationError(
      `unknown metric '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} Valid metrics: ${METRIC_NAMES.join(', ')}`,
    )
  }
  try {
    return factory(options, { configDir: ctx.configDir ?? process.cwd() })
  } catch (error) {
    if (error instanceof ConfigurationError) throw error
    throw new ConfigurationError(
      `metric ${name}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}

/** Loads what metrics need before the first case (custom modules). */
export async function prepareMetrics(metrics: readonly Metric[]): Promise<void> {
  for (const m of metrics) {
    const prepare = (m as { prepare?: () => Promise<void> }).prepare
    if (prepare) await prepare.call(m)
  }
}
