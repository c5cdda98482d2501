import type { Verdict } from '../contracts/gate.js'
import type { ReportSection } from '../report/section.js'
import type { CheckProvider } from './check-provider.js'
import { findIncomparable } from './comparability.js'
import { compareMetric } from './compare-metric.js'
import type { GateOptions, GateRule } from './config-schema.js'
import { applyHolm, metricRow, overallVerdict, type PendingMetricCheck } from './decide.js'
import { formatPercent } from './format.js'
import {
  conclusionFor,
  type CaseRegression,
  type CheckRow,
  type CostLine,
  type GateOutcome,
  type SuiteOutcome,
} from './outcome.js'
import { pairBySuite, type PairedCase } from './pairing.js'
import { defaultMargin, directionFor, policyFor, ruleMatches } from './policy.js'
import { findRegressions } from './regressions.js'
import type { BaselineSource, Side } from './sides.js'

export interface RunGateInput {
  baseline: Side
  candidate: Side
  source: BaselineSource
  rules: readonly GateRule[]
  options: GateOptions
  /** Latency, safety and other comparisons that join the Holm family. */
  providers?: readonly CheckProvider[]
  /** Suites (metric null) and metrics the providers compare themselves; left out of the quality checks. */
  claimed?: (suite: string, metric: string | null) => boolean
  warnings?: string[]
}

/** Compares the two sides suite by suite and metric by metric and decides the verdict. Pure apart from the providers. */
export async function runGate(input: RunGateInput): Promise<GateOutcome> {
  const { baseline, candidate, options } = input
  const stats = { alpha: options.alpha, resamples: options.resamples, seed: options.seed }
  const warnings = [...(input.warnings ?? [])]
  const incomparable = findIncomparable(baseline.provenance, candidate.provenance)
  const rows: CheckRow[] = []
  const pending = new Map<CheckRow, PendingMetricCheck>()
  const suites: SuiteOutcome[] = []
  const regressions: CaseRegression[] = []

  for (const pairing of pairBySuite(baseline.rows, candidate.rows)) {
    const { suite, pairs } = pairing
    if (input.claimed?.(suite, null)) continue
    const baseCases = pairs.length + pairing.missingInCandidate.length
    const candidateErrors = pairs.filter((p) => p.candidate.error).length
    const baselineErrors =
      pairs.filter((p) => p.baseline.error).length +
      baseline.rows.filter(
        (r) => r.suite === suite && r.error && !pairs.some((p) => p.id === r.case),
      ).length
    const notCompared =
      incomparable.suites.get(suite) ??
      (baseCases === 0 ? 'the baseline has no cases for this suite (new suite?)' : null)
    if (pairing.duplicates > 0)
      warnings.push(
        `${suite}: ${pairing.duplicates} repeated (suite, case) rows; the last of each was used`,
      )
    if (pairing.missingInBaseline.length > 0) {
      warnings.push(
        `${suite}: ${pairing.missingInBaseline.length} candidate cases have no baseline and were not compared`,
      )
    }
    const byId = new Map<string, PairedCase>(pairs.map((p) => [p.id, p]))
    const comparisons = []
    for (const metric of pairing.metrics) {
      if (input.claimed?.(suite, metric)) continue
      const name = `${suite}/${metric}`
      const comparison = compareMetric(suite, metric, pairs, {
        ...stats,
        direction: directionFor(name, input.rules),
      })
      const policy = policyFor(name, input.rules, options, () =>
        defaultMargin(
          [...comparison.baselineValues, ...comparison.candidateValues],
          comparison.baseline,
        ),
      )
      const check: PendingMetricCheck = {
        comparison,
        policy,
        notCompared:
          notCompared ?? incomparable.metrics.get(metric) ?? incomparable.metrics.get(name) ?? null,
      }
      const row = metricRow(check)
      rows.push(row)
      pending.set(row, check)
      comparisons.push(comparison)
      if (!check.notCompared)
        regressions.push(...findRegressions(comparison, policy.direction, byId))
    }
    rows.push(
      coverageRow(suite, input.rules, options, {
        baseCases,
        paired: pairs.length,
        missing: pairing.missingInCandidate.length,
        candidateErrors,
        baselineErrors,
        notCompared,
      }),
    )
    suites.push({
      suite,
      cases: baseCases,
      paired: pairs.length,
      missingInCandidate: pairing.missingInCandidate.length,
      missingInBaseline: pairing.missingInBaseline.length,
      baselineErrors,
      candidateErrors,
      notCompared,
      comparisons,
    })
  }

  const sections: ReportSection[] = []
  for (const provider of input.providers ?? []) {
    const out = await provider.compare({ baseline, candidate, rules: input.rules, ...stats })
    rows.push(...out.checks.map((c) => ({ ...c, kind: c.kind ?? provider.id })))
    sections.push(...out.sections)
  }
  for (const rule of input.rules) {
    if (
      !rows.some(
        (r) =>
          ruleMatches(rule.metric, r.name) ||
          (r.suite !== undefined && ruleMatches(rule.metric.split('/')[0] ?? '', r.suite)),
      )
    ) {
      warnings.push(`gate rule '${rule.metric}' matched no metric in the results`)
    }
  }

  applyHolm(rows, pending, options.alpha)
  const verdict = overallVerdict(rows)
  const onInconclusive = options.on_inconclusive
  return {
    name: options.name,
    verdict,
    conclusion: conclusionFor(verdict, onInconclusive),
    onInconclusive,
    headline: headline(verdict, rows),
    checks: rows,
    suites,
    regressions: sortRegressions(regressions),
    cost: [costOf(baseline), costOf(candidate)],
    sections,
    baselineSource: input.source,
    warnings,
    provenance: { baseline: baseline.provenance, candidate: candidate.provenance },
    settings: stats,
  }
}

interface CoverageCounts {
  baseCases: number
  paired: number
  missing: number
  candidateErrors: number
  baselineErrors: number
  notCompared: string | null
}

/** Per suite: fewer cases than min_cases, or more candidate errors and missing cases than max_error_rate, fail. */
function coverageRow(
  suite: string,
  rules: readonly GateRule[],
  options: GateOptions,
  c: CoverageCounts,
): CheckRow {
  const suiteRules = rules.filter((r) => ruleMatches(r.metric.split('/')[0] ?? '', suite))
  const minCases = Math.max(options.min_cases, ...suiteRules.map((r) => r.min_cases ?? 0))
  const maxErrorRate = Math.min(
    options.max_error_rate,
    ...suiteRules.map((r) => r.max_error_rate ?? 1),
  )
  const bad = c.candidateErrors + c.missing
  const rate = c.baseCases > 0 ? bad / c.baseCases : 0
  const baseRate = c.baseCases > 0 ? c.baselineErrors / c.baseCases : 0
  let verdict: Verdict = 'pass'
  let reason = `${c.paired} cases paired, ${bad} errored or missing on the candidate`
  if (c.notCompared) {
    verdict = 'inconclusive'
    reason = `not compared: ${c.notCompared}`
  } else if (c.paired < minCases) {
    verdict = 'fail'
    reason = `only ${c.paired} paired cases, min_cases is ${minCases}`
  } else if (rate > maxErrorRate) {
    verdict = 'fail'
    reason = `${bad} of ${c.baseCases} cases errored or missing on the candidate (${formatPercent(rate)} > ${formatPercent(maxErrorRate)})`
  }
  return {
    name: `${suite}/coverage`,
    kind: 'coverage',
    suite,
    baseline: baseRate,
    candidate: rate,
    delta: rate - baseRate,
    ci95: null,
    p_value: null,
    adjusted_p: null,
    n: c.baseCases,
    verdict,
    reason,
  }
}

function costOf(side: Side): CostLine {
  let promptTokens = 0
  let completionTokens = 0
  for (const r of side.rows) {
    promptTokens += r.usage.prompt_tokens ?? 0
    completionTokens += r.usage.completion_tokens ?? 0
  }
  let wallMs: number | null = null
  for (const s of Object.values(side.summary?.suites ?? {})) {
    const w = s.providers[side.provider]?.wall_ms
    if (w !== undefined) wallMs = (wallMs ?? 0) + w
  }
  if (wallMs === null && side.provenance) {
    const ms = Date.parse(side.provenance.finished_at) - Date.parse(side.provenance.started_at)
    if (Number.isFinite(ms) && ms >= 0) wallMs = ms
  }
  return {
    role: side.role,
    provider: side.provider,
    model: side.rows[0]?.model ?? side.provenance?.models[side.provider] ?? null,
    cases: side.rows.length,
    promptTokens,
    completionTokens,
    wallMs,
  }
}

function sortRegressions(list: CaseRegression[]): CaseRegression[] {
  const rank = { error: 0, flip: 1, drop: 2 }
  return list.sort(
    (a, b) =>
      rank[a.kind] - rank[b.kind] ||
      b.worsening - a.worsening ||
      a.suite.localeCompare(b.suite) ||
      a.case.localeCompare(b.case),
  )
}

/** One sentence under the verdict emoji. */
function headline(verdict: Verdict, rows: readonly CheckRow[]): string {
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length
  if (rows.length === 0) return 'Nothing was compared: no metric has results on both sides.'
  if (verdict === 'fail') {
    const failed = rows.filter((r) => r.verdict === 'fail').map((r) => r.name)
    const list =
      failed.slice(0, 3).join(', ') + (failed.length > 3 ? ` and ${failed.length - 3} more` : '')
    return `${failed.length} of ${rows.length} checks failed: ${list}.`
  }
  if (verdict === 'inconclusive') {
    return `No significant regression, but ${count('inconclusive')} of ${rows.length} checks cannot rule out a drop beyond their margin.`
  }
  return `All ${rows.length} checks passed: no regression beyond the margins.`
}
