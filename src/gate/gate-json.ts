import { gateSchema, type Gate } from '../contracts/gate.js'
import type { Annotation } from '../report/annotations.js'
import type { GateOutcome } from './outcome.js'

/**
 * gate.json (DESIGN.md contract) from an outcome: verdict, checks, MDE per quality check, provenance
 * of both sides, plus the conclusion, baseline source, warnings and statistics settings. Validated
 * against the contract before it is written, so a bug cannot produce a file readers reject.
 */
export function toGateJson(outcome: GateOutcome, annotations: Annotation[]): Gate {
  const mde: Record<string, number | null> = {}
  for (const c of outcome.checks) if (c.kind === 'quality') mde[c.name] = c.mde ?? null
  return gateSchema.parse({
    verdict: outcome.verdict,
    conclusion: outcome.conclusion,
    on_inconclusive: outcome.onInconclusive,
    name: outcome.name,
    headline: outcome.headline,
    checks: outcome.checks,
    mde,
    provenance: { baseline: outcome.provenance.baseline, candidate: outcome.provenance.candidate },
    baseline_source: outcome.baselineSource,
    warnings: outcome.warnings,
    settings: outcome.settings,
    regressions: outcome.regressions.length,
    annotations,
  })
}
