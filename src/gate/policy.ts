import type { GateOptions, GateRule } from './config-schema.js'

/** The policy that applies to one metric (of one suite), merged from every matching rule. */
export interface MetricPolicy {
  direction: 'higher' | 'lower'
  /** Largest tolerated worsening, in the metric's units (always >= 0). */
  margin: number
  marginSource: 'rule' | 'default'
  min?: number
  max?: number
  minCases: number
  maxErrorRate: number
  /** Rules that matched, for the report. */
  rules: GateRule[]
}

const LOWER_IS_BETTER =
  /(^|[_./-])(ter|wer|cer|perplexity|ppl|toxicity|toxic|latency|loss|errors?|error_rate|pii)([_./-]|$)|_ms$/i

/** `*` matches exactly one path segment; a rule for `suite/*` covers every metric of the suite. */
export function ruleMatches(pattern: string, name: string): boolean {
  const p = pattern.split('/')
  const n = name.split('/')
  if (p.length !== n.length) return false
  return p.every((seg, i) => seg === '*' || seg === n[i])
}

/** Whether lower values are better, from the name alone (latency, error rates, toxicity, TER/WER). */
export function lowerIsBetterByName(metric: string): boolean {
  return LOWER_IS_BETTER.test(metric)
}

/**
 * The default margin: one point on the metric's scale. Values inside [0, 1] are proportions or
 * 0-1 scores (margin 0.01); inside [0, 100] percentages or BLEU/chrF (margin 1); anything else 1% of
 * the baseline mean's magnitude. One point keeps a 2-point regression detectable at n = 500 while
 * changes too small to matter never fail.
 */
export function defaultMargin(values: Iterable<number>, baselineMean: number): number {
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (!Number.isFinite(v)) continue
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  if (lo >= 0 && hi <= 1) return 0.01
  if (lo >= 0 && hi <= 100) return 1
  return Number.isFinite(baselineMean) ? Math.abs(baselineMean) * 0.01 : 0
}

/** Which way is better for `suite/metric`: the last matching rule's direction, else max_drop/max_increase, else the name. */
export function directionFor(name: string, rules: readonly GateRule[]): 'higher' | 'lower' {
  let direction: 'higher' | 'lower' = lowerIsBetterByName(name.split('/').pop() ?? name)
    ? 'lower'
    : 'higher'
  for (const r of rules.filter((rule) => ruleMatches(rule.metric, name))) {
    if (r.max_increase !== undefined) direction = 'lower'
    if (r.max_drop !== undefined) direction = 'higher'
    if (r.direction) direction = r.direction
  }
  return direction
}

/** Resolves the policy of `suite/metric` from the rules (later rules override earlier ones) and the defaults. */
export function policyFor(
  name: string,
  rules: readonly GateRule[],
  options: Pick<GateOptions, 'default_max_drop' | 'max_error_rate' | 'min_cases'>,
  fallbackMargin: () => number,
): MetricPolicy {
  const matching = rules.filter((r) => ruleMatches(r.metric, name))
  let direction: 'higher' | 'lower' = lowerIsBetterByName(name.split('/').pop() ?? name)
    ? 'lower'
    : 'higher'
  let margin: number | undefined
  const policy: Omit<MetricPolicy, 'direction' | 'margin' | 'marginSource'> = {
    minCases: options.min_cases,
    maxErrorRate: options.max_error_rate,
    rules: matching,
  }
  for (const r of matching) {
    if (r.max_increase !== undefined) {
      direction = 'lower'
      margin = r.max_increase
    }
    if (r.max_drop !== undefined) {
      direction = 'higher'
      margin = r.max_drop
    }
    if (r.direction) direction = r.direction
    if (r.min !== undefined) policy.min = r.min
    if (r.max !== undefined) policy.max = r.max
    if (r.min_cases !== undefined) policy.minCases = r.min_cases
    if (r.max_error_rate !== undefined) policy.maxErrorRate = r.max_error_rate
  }
  if (margin !== undefined) return { ...policy, direction, margin, marginSource: 'rule' }
  return {
    ...policy,
    direction,
    margin: options.default_max_drop ?? fallbackMargin(),
    marginSource: 'default',
  }
}
