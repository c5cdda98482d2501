import type { Verdict } from '../contracts/gate.js'
import { holmAdjust } from '../stats/holm.js'
import type { MetricComparison } from './compare-metric.js'
import { formatNumber, formatP, formatPercent, formatSigned } from './format.js'
import type { CheckRow } from './outcome.js'
import type { MetricPolicy } from './policy.js'

/** A quality check before Holm: the comparison, its policy, and why it may be excluded. */
export interface PendingMetricCheck {
  comparison: MetricComparison
  policy: MetricPolicy
  notCompared: string | null
}

/**
 * The verdict of one metric check (direction-adjusted, "worse" means lower for higher-is-better):
 * - fail: fewer cases than `min_cases`; the value missing on more than `max_error_rate` of cases;
 *   the candidate mean beyond `min`/`max`; or a drop significant after Holm (adjusted p < α) whose
 *   estimate exceeds the margin;
 * - inconclusive: otherwise, when the 95% CI still allows a worsening larger than the margin;
 * - pass: otherwise.
 */
export function decideMetric(
  check: PendingMetricCheck,
  adjustedP: number | null,
  alpha: number,
): { verdict: Verdict; reason: string } {
  const { comparison: c, policy } = check
  if (check.notCompared)
    return { verdict: 'inconclusive', reason: `not compared: ${check.notCompared}` }
  const total = c.n + (c.kind === 'binary' ? 0 : c.missing)
  if (c.n === 0) return { verdict: 'fail', reason: 'no case has a value on both sides' }
  if (c.n < policy.minCases)
    return { verdict: 'fail', reason: `only ${c.n} paired cases, min_cases is ${policy.minCases}` }
  if (total > 0 && c.missing / total > policy.maxErrorRate) {
    return {
      verdict: 'fail',
      reason: `value missing or errored on ${c.missing} of ${total} cases (${formatPercent(c.missing / total)} > ${formatPercent(policy.maxErrorRate)})`,
    }
  }
  if (policy.min !== undefined && c.candidate < policy.min) {
    return {
      verdict: 'fail',
      reason: `candidate ${formatNumber(c.candidate)} is below min ${formatNumber(policy.min)}`,
    }
  }
  if (policy.max !== undefined && c.candidate > policy.max) {
    return {
      verdict: 'fail',
      reason: `candidate ${formatNumber(c.candidate)} is above max ${formatNumber(policy.max)}`,
    }
  }
  const sign = policy.direction === 'higher' ? 1 : -1
  const worsening = -sign * c.delta
  const worstCase = policy.direction === 'higher' ? -c.ci95[0] : c.ci95[1]
  // A worsening equal to the margin (up to rounding of the mean) is within it.
  const margin = policy.margin
  const beyond = (x: number) => x > margin + 1e-9 * Math.max(1, Math.abs(margin))
  const p = adjustedP ?? c.p
  const word = policy.direction === 'higher' ? 'drop' : 'increase'
  if (p < alpha && beyond(worsening)) {
    return {
      verdict: 'fail',
      reason: `significant ${word} of ${formatNumber(worsening)} (adjusted p ${formatP(p)}) beyond the margin ${formatNumber(margin)}`,
    }
  }
  if (beyond(worstCase)) {
    const mde = c.mde !== null ? `; detectable at this n: ${formatNumber(c.mde)}` : ''
    return {
      verdict: 'inconclusive',
      reason: `the 95% CI allows a ${word} of up to ${formatNumber(worstCase)}, more than the margin ${formatNumber(margin)}${mde}`,
    }
  }
  if (p < alpha && worsening > 0) {
    return {
      verdict: 'pass',
      reason: `significant ${word} of ${formatNumber(worsening)}, within the margin ${formatNumber(margin)}`,
    }
  }
  return {
    verdict: 'pass',
    reason: `delta ${formatSigned(c.delta)}; the 95% CI rules out a ${word} beyond ${formatNumber(margin)}`,
  }
}

/** Turns pending metric checks into rows, without verdicts yet (they need the Holm family first). */
export function metricRow(check: PendingMetricCheck): CheckRow {
  const c = check.comparison
  const skip = check.notCompared !== null || c.n === 0
  return {
    name: `${c.suite}/${c.metric}`,
    kind: 'quality',
    suite: c.suite,
    metric: c.metric,
    test: c.test,
    baseline: finite(c.baseline),
    candidate: finite(c.candidate),
    delta: finite(c.delta),
    ci95: Number.isFinite(c.ci95[0]) && Number.isFinite(c.ci95[1]) ? c.ci95 : null,
    p_value: skip ? null : c.p,
    adjusted_p: null,
    n: c.n,
    margin: check.policy.margin,
    direction: check.policy.direction,
    mde: c.mde,
    verdict: 'inconclusive',
    reason: '',
  }
}

/**
 * Applies Holm over every check with a p-value (quality, latency, safety), then decides the quality
 * checks. Provider checks keep their verdict, except that a `fail` whose adjusted p-value is no longer
 * significant becomes inconclusive.
 */
export function applyHolm(
  rows: CheckRow[],
  pending: Map<CheckRow, PendingMetricCheck>,
  alpha: number,
): void {
  const adjusted = holmAdjust(rows.map((r) => r.p_value))
  rows.forEach((row, i) => {
    row.adjusted_p = adjusted[i] ?? null
    const check = pending.get(row)
    if (check) {
      const { verdict, reason } = decideMetric(check, row.adjusted_p, alpha)
      row.verdict = verdict
      row.reason = reason
    } else if (
      row.verdict === 'fail' &&
      row.p_value !== null &&
      row.adjusted_p !== null &&
      row.adjusted_p >= alpha
    ) {
      row.verdict = 'inconclusive'
      row.reason = `${row.reason} (not significant after Holm: adjusted p ${formatP(row.adjusted_p)})`
    }
  })
}

/** Fail if any check fails; else inconclusive if any is; pass only with at least one check and all passing. */
export function overallVerdict(rows: readonly CheckRow[]): Verdict {
  if (rows.length === 0) return 'fail'
  if (rows.some((r) => r.verdict === 'fail')) return 'fail'
  if (rows.some((r) => r.verdict === 'inconclusive')) return 'inconclusive'
  return 'pass'
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null
}
