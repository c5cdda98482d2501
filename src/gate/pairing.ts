import type { ResultRow } from '../contracts/results.js'

/** One case evaluated on both sides. */
export interface PairedCase {
  id: string
  baseline: ResultRow
  candidate: ResultRow
}

/** The cases of one suite matched by case id. */
export interface SuitePairing {
  suite: string
  pairs: PairedCase[]
  /** Cases the baseline has and the candidate lacks: they count as candidate errors. */
  missingInCandidate: string[]
  /** Cases only the candidate has: not compared, reported. */
  missingInBaseline: string[]
  /** Metric names seen on either side, sorted. */
  metrics: string[]
  duplicates: number
}

/** Groups rows by suite and pairs them by case id; a repeated (suite, case) keeps its last row. */
export function pairBySuite(
  baseline: readonly ResultRow[],
  candidate: readonly ResultRow[],
): SuitePairing[] {
  const b = index(baseline)
  const c = index(candidate)
  const suites = [...new Set([...b.bySuite.keys(), ...c.bySuite.keys()])].sort()
  return suites.map((suite) => {
    const bs = b.bySuite.get(suite) ?? new Map<string, ResultRow>()
    const cs = c.bySuite.get(suite) ?? new Map<string, ResultRow>()
    const pairs: PairedCase[] = []
    const missingInCandidate: string[] = []
    const metrics = new Set<string>()
    for (const [id, row] of bs) {
      for (const m of Object.keys(row.metrics)) metrics.add(m)
      const other = cs.get(id)
      if (other) pairs.push({ id, baseline: row, candidate: other })
      else missingInCandidate.push(id)
    }
    const missingInBaseline: string[] = []
    for (const [id, row] of cs) {
      for (const m of Object.keys(row.metrics)) metrics.add(m)
      if (!bs.has(id)) missingInBaseline.push(id)
    }
    return {
      suite,
      pairs,
      missingInCandidate,
      missingInBaseline,
      metrics: [...metrics].sort(),
      duplicates: (b.duplicates.get(suite) ?? 0) + (c.duplicates.get(suite) ?? 0),
    }
  })
}

function index(rows: readonly ResultRow[]) {
  const bySuite = new Map<string, Map<string, ResultRow>>()
  const duplicates = new Map<string, number>()
  for (const row of rows) {
    let m = bySuite.get(row.suite)
    if (!m) bySuite.set(row.suite, (m = new Map<string, ResultRow>()))
    if (m.has(row.case)) duplicates.set(row.suite, (duplicates.get(row.suite) ?? 0) + 1)
    m.set(row.case, row)
  }
  return { bySuite, duplicates }
}
