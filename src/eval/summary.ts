import type { ResultRow } from '../contracts/results.js'
import type { MetricSummary, Summary } from '../contracts/summary.js'
import type { Provenance } from '../contracts/provenance.js'
import { bootstrapMeanBca, wilsonInterval } from '../stats/index.js'

/** Seed of the summary's bootstrap intervals: the same results always give the same interval. */
export const SUMMARY_BOOTSTRAP_SEED = 20_240_601

/**
 * n, mean and 95% interval of one metric's case values. Pass/fail values (all 0 or 1) get the Wilson
 * score interval, which stays informative at 0% and 100%; other values the BCa bootstrap interval of
 * the mean from src/stats. Fewer than two values give no interval.
 */
export function summarizeValues(values: readonly number[]): MetricSummary {
  const n = values.length
  if (n === 0) return { n, mean: null, ci95: null }
  let sum = 0
  for (const v of values) sum += v
  const mean = sum / n
  if (n < 2) return { n, mean, ci95: null }
  if (values.every((v) => v === 0 || v === 1)) {
    return { n, mean, ci95: wilsonInterval(sum, n, 0.95) }
  }
  const boot = bootstrapMeanBca(values, { seed: SUMMARY_BOOTSTRAP_SEED, confidence: 0.95 })
  return { n, mean, ci95: boot.ci }
}

/** Corpus perplexities from per-document loglikelihoods (lm-eval: weighted by words and bytes, not means). */
export function perplexityCorpus(rows: readonly ResultRow[]): Record<string, number> | undefined {
  let ll = 0
  let words = 0
  let bytes = 0
  let tokens = 0
  let n = 0
  for (const r of rows) {
    const m = r.metrics
    if (
      r.error ||
      typeof m.loglikelihood !== 'number' ||
      typeof m.words !== 'number' ||
      typeof m.bytes !== 'number'
    )
      continue
    ll += m.loglikelihood
    words += m.words
    bytes += m.bytes
    tokens += typeof m.tokens === 'number' ? m.tokens : 0
    n++
  }
  if (n === 0) return undefined
  return {
    word_perplexity: Math.exp(-ll / words),
    byte_perplexity: Math.exp(-ll / bytes),
    bits_per_byte: -ll / bytes / Math.LN2,
    ...(tokens > 0 ? { token_perplexity: Math.exp(-ll / tokens) } : {}),
  }
}

/**
 * How a group's perplexity rows were scored (their `method`: `rolling` windows or the `single`
 * request fallback), `mixed` when they differ; undefined for groups without perplexity rows.
 */
export function perplexityMethod(rows: readonly ResultRow[]): string | undefined {
  const methods = new Set<string>()
  for (const r of rows) {
    const m = (r as { method?: unknown }).method
    if (!r.error && typeof m === 'string') methods.add(m)
  }
  if (methods.size === 0) return undefined
  return methods.size === 1 ? [...methods][0] : 'mixed'
}

/**
 * Warnings about perplexity numbers scored by different methods: within one provider (`mixed`,
 * e.g. a resumed run against another server) or between the providers of a suite (e.g. baseline
 * and candidate), whose loglikelihoods are then not comparable.
 */
export function perplexityMethodWarnings(suites: Summary['suites']): string[] {
  const warnings: string[] = []
  for (const [suite, { providers }] of Object.entries(suites)) {
    const methods = Object.entries(providers)
      .map(([p, g]) => [p, g.perplexity_method] as const)
      .filter((e): e is readonly [string, string] => typeof e[1] === 'string')
    for (const [p, m] of methods)
      if (m === 'mixed')
        warnings.push(
          `${suite}: provider ${p} has perplexity cases scored by both rolling windows and the single-request fallback`,
        )
    if (new Set(methods.map(([, m]) => m)).size > 1)
      warnings.push(
        `${suite}: perplexity scored by different methods across providers (${methods.map(([p, m]) => `${p}: ${m}`).join(', ')}); their loglikelihoods and perplexities are not comparable`,
      )
  }
  return warnings
}

/** Facts the runner knows that the rows do not carry. */
export interface SummaryExtras {
  provenance: Provenance
  /** Cases planned in this run (a run stopped early has fewer rows). */
  planned?: number
  /** Wall time per `suite\0provider`. */
  wallMs?: ReadonlyMap<string, number>
  /** Corpus metric scores per `suite\0provider`. */
  corpus?: ReadonlyMap<string, Record<string, number>>
}

type Group = Summary['suites'][string]['providers'][string]

/** summary.json from the result rows (one per case and provider; later duplicates are ignored upstream). */
export function buildSummary(rows: readonly ResultRow[], extras: SummaryExtras): Summary {
  const groups = new Map<string, ResultRow[]>()
  for (const row of rows) {
    const key = `${row.suite}\u0000${row.provider}`
    const list = groups.get(key)
    if (list) list.push(row)
    else groups.set(key, [row])
  }
  const suites: Summary['suites'] = {}
  let errors = 0
  let cached = 0
  for (const [key, list] of groups) {
    const [suite, provider] = key.split('\u0000') as [string, string]
    const values = new Map<string, number[]>()
    const errorsByKind: Record<string, number> = {}
    let prompt = 0
    let completion = 0
    let hits = 0
    for (const row of list) {
      if (row.cached) hits++
      prompt += row.usage.prompt_tokens ?? 0
      completion += row.usage.completion_tokens ?? 0
      if (row.error) {
        errorsByKind[row.error.kind] = (errorsByKind[row.error.kind] ?? 0) + 1
        continue
      }
      for (const [name, v] of Object.entries(row.metrics)) {
        if (v === null || (typeof v === 'number' && !Number.isFinite(v))) continue
        const arr = values.get(name) ?? []
        arr.push(typeof v === 'boolean' ? (v ? 1 : 0) : v)
        values.set(name, arr)
      }
    }
    const metrics: Record<string, MetricSummary> = {}
    for (const name of [...values.keys()].sort()) metrics[name] = summarizeValues(values.get(name)!)
    const errorCount = Object.values(errorsByKind).reduce((a, b) => a + b, 0)
    const group: Group = {
      cases: list.length,
      errors: errorCount,
      errors_by_kind: errorsByKind,
      metrics,
      usage: { prompt_tokens: prompt, completion_tokens: completion },
      cache_hits: hits,
    }
    const corpus = { ...perplexityCorpus(list), ...extras.corpus?.get(key) }
    if (Object.keys(corpus).length) group.corpus = corpus
    const method = perplexityMethod(list)
    if (method) group.perplexity_method = method
    const wall = extras.wallMs?.get(key)
    if (wall !== undefined) group.wall_ms = Math.round(wall)
    suites[suite] ??= { providers: {} }
    suites[suite].providers[provider] = group
    errors += errorCount
    cached += hits
  }
  const planned = extras.planned ?? rows.length
  const warnings = perplexityMethodWarnings(suites)
  return {
    suites,
    totals: {
      cases: rows.length,
      errors,
      cached,
      scored: rows.length - errors,
      planned,
      not_run: Math.max(0, planned - rows.length),
    },
    ...(warnings.length ? { warnings } : {}),
    provenance: extras.provenance,
  }
}
