import type { Provenance } from '../contracts/provenance.js'

/** Suites and metrics whose definitions differ between the sides, with the reason shown in the report. */
export interface Incomparable {
  suites: Map<string, string>
  metrics: Map<string, string>
}

/**
 * Compares the provenance envelopes: a suite whose dataset hash differs, or a metric whose definition
 * differs, is not compared (a changed dataset makes any delta meaningless). Keys missing on either
 * side are not treated as differences, since older artifacts may not record them.
 */
export function findIncomparable(
  baseline: Provenance | null,
  candidate: Provenance | null,
): Incomparable {
  const suites = new Map<string, string>()
  const metrics = new Map<string, string>()
  if (!baseline || !candidate) return { suites, metrics }
  for (const [suite, hash] of Object.entries(candidate.dataset_hashes)) {
    const other = baseline.dataset_hashes[suite]
    if (other !== undefined && other !== hash) {
      suites.set(suite, `dataset hash differs (baseline ${short(other)}, candidate ${short(hash)})`)
    }
  }
  for (const [metric, def] of Object.entries(candidate.metric_definitions ?? {})) {
    const other = baseline.metric_definitions?.[metric]
    if (other !== undefined && other !== def) {
      metrics.set(
        metric,
        `metric definition differs (baseline ${short(other)}, candidate ${short(def)})`,
      )
    }
  }
  return { suites, metrics }
}

function short(s: string): string {
  return s.length > 16 ? `${s.slice(0, 12)}…` : s
}
