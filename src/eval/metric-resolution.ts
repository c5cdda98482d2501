import { ConfigurationError, getErrorMessage } from '../errors.js'
import type { CaseInput, Metric } from '../metrics/types.js'
import { canonicalJson } from '../providers/canonical-json.js'
import type { MetricSpec, SuiteConfig } from './config-schema.js'

/** Turns one metric spec from the config into metric objects (the metric registry's `resolveMetric`). */
export type MetricResolver = (spec: MetricSpec) => Metric | readonly Metric[]

/** The name a spec is written with: `rougeL`, or the key of `{ contains: ... }`. */
export function specName(spec: MetricSpec): string {
  return typeof spec === 'string' ? spec : (Object.keys(spec)[0] ?? '?')
}

/** A metric's definition as recorded in provenance: the canonical JSON of its spec. */
export function metricDefinition(spec: MetricSpec): string {
  return typeof spec === 'string' ? spec : canonicalJson(spec)
}

/** Resolves a suite's metrics up front, so an unknown metric fails the run before any request (exit 2). */
export function resolveSuiteMetrics(suite: SuiteConfig, resolve: MetricResolver): Metric[] {
  const out: Metric[] = []
  const problems: string[] = []
  suite.metrics.forEach((spec, i) => {
    try {
      const m = resolve(spec)
      out.push(...(Array.isArray(m) ? (m as readonly Metric[]) : [m as Metric]))
    } catch (error) {
      problems.push(
        `suites.${suite.name}.metrics[${i}] (${specName(spec)}): ${getErrorMessage(error)}`,
      )
    }
  })
  if (problems.length) throw new ConfigurationError(problems[0]!, problems)
  return out
}

/** Corpus metric scores of one suite × provider from its rows' outputs and references. */
export function scoreCorpus(
  metrics: readonly Metric[],
  inputs: readonly CaseInput[],
): Record<string, number> {
  const out: Record<string, number> = {}
  if (inputs.length === 0) return out
  for (const m of metrics) {
    if (m.kind !== 'corpus') continue
    Object.assign(out, m.score([...inputs]))
  }
  return out
}
