import type { GateCheck, Verdict } from '../contracts/gate.js'
import type { Provenance } from '../contracts/provenance.js'
import type { ReportSection } from '../report/section.js'
import type { MetricComparison } from './compare-metric.js'
import type { BaselineSource } from './sides.js'

/** How the check run concludes, after `on_inconclusive`. */
export type Conclusion = 'success' | 'failure' | 'neutral'

/** A gate check with the extra fields the report and annotations use (all within the loose gate.json contract). */
export interface CheckRow extends GateCheck {
  /** quality, coverage, or the id of the check provider (latency, safety). */
  kind: string
  suite?: string
  metric?: string
  test?: string
  margin?: number
  direction?: 'higher' | 'lower'
  mde?: number | null
}

/** One suite's comparison. */
export interface SuiteOutcome {
  suite: string
  /** Cases on the baseline side (the denominator of coverage). */
  cases: number
  paired: number
  missingInCandidate: number
  missingInBaseline: number
  baselineErrors: number
  candidateErrors: number
  /** Why the suite was not compared, when it was not. */
  notCompared: string | null
  comparisons: MetricComparison[]
}

/** One case that got worse, with excerpts for the report (untrusted text, escaped when rendered). */
export interface CaseRegression {
  suite: string
  case: string
  metric: string
  kind: 'flip' | 'drop' | 'error'
  baseline: number
  candidate: number
  /** How much worse, direction-adjusted (> 0). */
  worsening: number
  input: string
  reference: string | null
  baselineOutput: string | null
  candidateOutput: string | null
  candidateError: string | null
  source: { file: string; line: number } | null
}

/** Tokens and time per provider. */
export interface CostLine {
  role: 'baseline' | 'candidate'
  provider: string
  model: string | null
  cases: number
  promptTokens: number
  completionTokens: number
  wallMs: number | null
}

/** Everything the gate decided and everything the report shows. */
export interface GateOutcome {
  name: string
  verdict: Verdict
  conclusion: Conclusion
  onInconclusive: 'pass' | 'fail' | 'neutral'
  headline: string
  checks: CheckRow[]
  suites: SuiteOutcome[]
  regressions: CaseRegression[]
  cost: CostLine[]
  sections: ReportSection[]
  baselineSource: BaselineSource
  warnings: string[]
  provenance: { baseline: Provenance | null; candidate: Provenance | null }
  settings: { alpha: number; resamples: number; seed: number }
}

/** The check-run conclusion for a verdict. */
export function conclusionFor(
  verdict: Verdict,
  onInconclusive: 'pass' | 'fail' | 'neutral',
): Conclusion {
  if (verdict === 'pass') return 'success'
  if (verdict === 'fail') return 'failure'
  return onInconclusive === 'pass' ? 'success' : onInconclusive === 'fail' ? 'failure' : 'neutral'
}

/** The process exit code for a conclusion: 1 only when the check fails. */
export function exitCodeFor(conclusion: Conclusion): 0 | 1 {
  return conclusion === 'failure' ? 1 : 0
}
