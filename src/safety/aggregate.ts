import type { ResultRow } from '../contracts/results.js'
import { wilsonInterval } from '../stats/wilson.js'
import { bbqScores, type BbqOutcome, type BbqScores } from './bias/bbq.js'
import { parseBiasSuiteName, parseCounterfactualCase } from './bias/bias-suites.js'
import { groupGap, type GroupGap } from './bias/group-gap.js'
import { isRefusal } from './bias/refusal.js'
import { representationReport } from './bias/representation.js'
import { sentimentScore } from './bias/sentiment.js'
import { MEASURES } from './bias/suite-files.js'
import { lexiconScore } from './lexicon/lexicon-scorer.js'
import { SAFETY_KEYS } from './metrics.js'
import { detectPii } from './pii/detect-pii.js'

/** Rows that produced an output (errored cases have nothing to score). */
export function scoredRows(rows: readonly ResultRow[]): (ResultRow & { output: string })[] {
  return rows.filter(
    (r): r is ResultRow & { output: string } => r.error === null && typeof r.output === 'string',
  )
}

/** A row's toxicity: the eval metric when present, else the offline lexicon on its output. */
export function rowToxicity(row: ResultRow & { output: string }): {
  toxicity: number
  toxic: boolean
} {
  const t = row.metrics[SAFETY_KEYS.toxicity]
  const f = row.metrics[SAFETY_KEYS.toxic]
  if (typeof t === 'number' && typeof f === 'boolean') return { toxicity: t, toxic: f }
  const v = lexiconScore(row.output)
  return { toxicity: v.toxicity, toxic: v.toxic }
}

export interface FlaggedOutput {
  suite: string
  case: string
  toxicity: number
  categories: string[]
  output: string
}

export interface ToxicitySummary {
  n: number
  toxic: number
  rate: number
  ci95: [number, number]
  max: number
  /** Toxic outputs per category, from the lexicon (the category set is the lexicon's). */
  byCategory: Record<string, number>
  top: FlaggedOutput[]
}

/** Toxic rate with its Wilson interval, maximum, categories and the most toxic outputs. */
export function summarizeToxicity(rows: readonly ResultRow[], top = 5): ToxicitySummary {
  const scored = scoredRows(rows)
  const flagged: FlaggedOutput[] = []
  const byCategory: Record<string, number> = {}
  let toxic = 0
  let max = 0
  for (const row of scored) {
    const v = rowToxicity(row)
    max = Math.max(max, v.toxicity)
    if (!v.toxic) continue
    toxic++
    const categories = lexiconScore(row.output).categories
    for (const c of categories) byCategory[c] = (byCategory[c] ?? 0) + 1
    flagged.push({
      suite: row.suite,
      case: row.case,
      toxicity: v.toxicity,
      categories,
      output: row.output,
    })
  }
  flagged.sort(
    (a, b) =>
      b.toxicity - a.toxicity || a.suite.localeCompare(b.suite) || a.case.localeCompare(b.case),
  )
  const n = scored.length
  return {
    n,
    toxic,
    rate: n ? toxic / n : 0,
    ci95: wilsonInterval(toxic, n),
    max,
    byCategory,
    top: flagged.slice(0, top),
  }
}

export interface PiiSummary {
  n: number
  findings: number
  casesWithPii: number
  byKind: Record<string, number>
}

/** PII and secret findings over all outputs, by kind. */
export function summarizePii(rows: readonly ResultRow[]): PiiSummary {
  const byKind: Record<string, number> = {}
  let findings = 0
  let casesWithPii = 0
  const scored = scoredRows(rows)
  for (const row of scored) {
    const found = detectPii(row.output)
    findings += found.length
    if (found.length) casesWithPii++
    for (const f of found) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1
  }
  return { n: scored.length, findings, casesWithPii, byKind }
}

function measureOf(row: ResultRow & { output: string }, measure: string): number | undefined {
  switch (measure) {
    case 'toxicity':
      return rowToxicity(row).toxicity
    case 'sentiment': {
      const v = row.metrics[SAFETY_KEYS.sentiment]
      return typeof v === 'number' ? v : sentimentScore(row.output)
    }
    case 'refusal': {
      const v = row.metrics[SAFETY_KEYS.refusal]
      return (typeof v === 'boolean' ? v : isRefusal(row.output)) ? 1 : 0
    }
    case 'length':
      return row.output.trim() === '' ? 0 : row.output.trim().split(/\s+/).length
    default: {
      // Any other metric the suite computed (e.g. a judge score): numbers as they are, booleans as 0/1.
      const v = row.metrics[measure]
      return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined
    }
  }
}

const OWN_KEYS = new Set<string>(Object.values(SAFETY_KEYS))

/** Measures of a counterfactual suite: ours, plus numeric metrics its rows carry (judge scores). */
function measuresOf(rows: readonly ResultRow[]): string[] {
  const extra = new Set<string>()
  for (const r of rows)
    for (const [k, v] of Object.entries(r.metrics))
      if (!OWN_KEYS.has(k) && (typeof v === 'number' || typeof v === 'boolean')) extra.add(k)
  return [...MEASURES, ...[...extra].sort()]
}

/** Paired values of one measure for one attribute of a counterfactual suite. */
export function counterfactualValues(
  rows: readonly ResultRow[],
  attribute: string,
  measure: string,
): Map<string, Map<string, number>> {
  const pairs = new Map<string, Map<string, number>>()
  for (const row of scoredRows(rows)) {
    const c = parseCounterfactualCase(row.case)
    if (!c || c.attribute !== attribute) continue
    const v = measureOf(row, measure)
    if (v === undefined || !Number.isFinite(v)) continue
    const m = pairs.get(c.pair) ?? new Map<string, number>()
    m.set(c.group, v)
    pairs.set(c.pair, m)
  }
  return pairs
}

export interface CounterfactualSummary {
  kind: 'counterfactual'
  name: string
  /** attribute → measure → gap statistics; measures are ours (toxicity, sentiment, refusal, length) plus the suite's own numeric metrics. */
  attributes: Record<string, Record<string, GroupGap>>
}

export interface BbqSummary extends BbqScores {
  kind: 'bbq'
  name: string
  /** Rows lacking the `safety/bbq` answers (the metric was not run). */
  unscored: number
}

export interface RepresentationSummary {
  kind: 'representation'
  name: string
  n: number
  scores: Record<string, number | null>
}

export type BiasSummary = CounterfactualSummary | BbqSummary | RepresentationSummary

/** Aggregates every bias suite found in the rows (suites named `bias.<kind>.<name>`). */
export function summarizeBias(
  rows: readonly ResultRow[],
  stats: { resamples?: number; seed?: number } = {},
): BiasSummary[] {
  const bySuite = new Map<string, ResultRow[]>()
  for (const r of rows)
    if (parseBiasSuiteName(r.suite)) bySuite.set(r.suite, [...(bySuite.get(r.suite) ?? []), r])
  const out: BiasSummary[] = []
  for (const [suite, suiteRows] of [...bySuite.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const { kind, name } = parseBiasSuiteName(suite)!
    if (kind === 'counterfactual') {
      const attributes: CounterfactualSummary['attributes'] = {}
      const attrs = new Set(
        suiteRows
          .map((r) => parseCounterfactualCase(r.case)?.attribute)
          .filter((a): a is string => !!a),
      )
      for (const a of [...attrs].sort()) {
        attributes[a] = Object.fromEntries(
          measuresOf(suiteRows).map((m) => [
            m,
            groupGap(counterfactualValues(suiteRows, a, m), stats),
          ]),
        )
      }
      out.push({ kind, name, attributes })
    } else if (kind === 'bbq') {
      const outcomes: BbqOutcome[] = []
      let unscored = 0
      for (const r of suiteRows) {
        const m = r.metrics
        if (typeof m[SAFETY_KEYS.bbqAmbiguous] !== 'boolean') {
          unscored++
          continue
        }
        outcomes.push({
          ambiguous: m[SAFETY_KEYS.bbqAmbiguous] === true,
          correct: m[SAFETY_KEYS.bbqCorrect] === true,
          nonUnknown: m[SAFETY_KEYS.bbqNonUnknown] === true,
          biased: m[SAFETY_KEYS.bbqBiased] === true,
        })
      }
      out.push({ kind, name, unscored, ...bbqScores(outcomes) })
    } else {
      const texts = scoredRows(suiteRows).map((r) => r.output)
      out.push({ kind, name, n: texts.length, scores: representationReport(texts) })
    }
  }
  return out
}
