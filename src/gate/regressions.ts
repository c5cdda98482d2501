import type { ResultRow } from '../contracts/results.js'
import type { MetricComparison } from './compare-metric.js'
import type { CaseRegression } from './outcome.js'
import type { PairedCase } from './pairing.js'

/** Drops kept per continuous metric (flips of pass/fail metrics are all kept). */
const DROPS_PER_METRIC = 50

/**
 * The cases that got worse: every pass→fail flip of a pass/fail metric, the largest drops of each
 * score metric, and cases that errored only on the candidate. Sorted flips first, then by size.
 */
export function findRegressions(
  comparison: MetricComparison,
  direction: 'higher' | 'lower',
  pairs: ReadonlyMap<string, PairedCase>,
): CaseRegression[] {
  const sign = direction === 'higher' ? 1 : -1
  const out: CaseRegression[] = []
  for (let i = 0; i < comparison.ids.length; i++) {
    const b = comparison.baselineValues[i]!
    const c = comparison.candidateValues[i]!
    const worsening = sign * (b - c)
    if (!(worsening > 0)) continue
    const pair = pairs.get(comparison.ids[i]!)
    if (!pair) continue
    const kind =
      pair.candidate.error && !pair.baseline.error
        ? 'error'
        : comparison.kind === 'binary'
          ? 'flip'
          : 'drop'
    out.push(regression(comparison, pair, kind, b, c, worsening))
  }
  out.sort((x, y) => y.worsening - x.worsening || x.case.localeCompare(y.case))
  return comparison.kind === 'binary' ? out : out.slice(0, DROPS_PER_METRIC)
}

function regression(
  c: MetricComparison,
  pair: PairedCase,
  kind: CaseRegression['kind'],
  baseline: number,
  candidate: number,
  worsening: number,
): CaseRegression {
  return {
    suite: c.suite,
    case: pair.id,
    metric: c.metric,
    kind,
    baseline,
    candidate,
    worsening,
    input: inputText(pair.candidate.input ?? pair.baseline.input),
    reference: pair.candidate.reference === undefined ? null : inputText(pair.candidate.reference),
    baselineOutput: pair.baseline.output,
    candidateOutput: pair.candidate.output,
    candidateError: pair.candidate.error
      ? `${pair.candidate.error.kind}: ${pair.candidate.error.message}`
      : null,
    source: sourceOf(pair.candidate) ?? sourceOf(pair.baseline),
  }
}

function sourceOf(row: ResultRow): { file: string; line: number } | null {
  return row.source ? { file: row.source.file, line: row.source.line } : null
}

/** The prompt as text: a string as is, chat messages as their last user turn, anything else as JSON. */
export function inputText(input: unknown): string {
  if (typeof input === 'string') return input
  if (Array.isArray(input)) {
    const messages = input as unknown[]
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]
      if (m && typeof m === 'object' && (m as { role?: unknown }).role === 'user') {
        const content = (m as { content?: unknown }).content
        if (typeof content === 'string') return content
      }
    }
  }
  if (input && typeof input === 'object') {
    const o = input as Record<string, unknown>
    for (const key of ['prompt', 'question', 'input', 'text'])
      if (typeof o[key] === 'string') return o[key]
  }
  try {
    return JSON.stringify(input) ?? ''
  } catch {
    return String(input)
  }
}
