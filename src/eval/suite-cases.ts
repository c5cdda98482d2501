import { createHash } from 'node:crypto'
import { ConfigurationError } from '../errors.js'
import { canonicalJson } from '../providers/canonical-json.js'
import type { SuiteConfig } from './config-schema.js'
import { loadDataset, type DatasetRow, type LoadedDataset } from './dataset.js'

/** One case of a suite: its stable id, its fields and where it came from. */
export interface EvalCase {
  id: string
  vars: Record<string, unknown>
  tags: string[]
  source?: { file: string; line: number }
}

/** A suite with its cases loaded. */
export interface LoadedSuite {
  config: SuiteConfig
  cases: EvalCase[]
  dataset?: LoadedDataset
}

/** A content hash of a row: the first 16 hex digits of sha256 over its canonical JSON. */
export function contentId(vars: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(vars)).digest('hex').slice(0, 16)
}

function caseTags(vars: Record<string, unknown>): string[] {
  const t = vars.tags
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string')
  if (typeof t === 'string' && t.trim() !== '')
    return t
      .split(/[,;]/)
      .map((x) => x.trim())
      .filter(Boolean)
  return []
}

/**
 * Gives every row a stable id: the value of the suite's id field (`id` by default) when present,
 * otherwise a content hash of the row. Duplicate explicit ids are a configuration error; identical
 * rows without ids get `~2`, `~3` suffixes in file order.
 */
export function assignCaseIds(suite: SuiteConfig, rows: readonly DatasetRow[]): EvalCase[] {
  const field = suite.id ?? 'id'
  const seen = new Map<string, DatasetRow>()
  const problems: string[] = []
  const cases: EvalCase[] = []
  for (const row of rows) {
    const raw = row.vars[field]
    const explicit =
      typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : ''
    let id = explicit || contentId(row.vars)
    if (seen.has(id)) {
      if (explicit) {
        const first = seen.get(id)?.source
        const at = row.source ? `${row.source.file}:${row.source.line}: ` : ''
        problems.push(
          `${at}suite '${suite.name}': duplicate case id '${id}'${first ? ` (first at ${first.file}:${first.line})` : ''}`,
        )
        continue
      }
      let k = 2
      while (seen.has(`${id}~${k}`)) k++
      id = `${id}~${k}`
    }
    seen.set(id, row)
    const tags = [...new Set([...(suite.tags ?? []), ...caseTags(row.vars)])]
    cases.push({ id, vars: row.vars, tags, ...(row.source ? { source: row.source } : {}) })
  }
  if (problems.length) throw new ConfigurationError(problems[0]!, problems)
  return cases
}

/** Loads a suite's cases from its dataset file and/or inline `cases`. */
export async function loadSuite(suite: SuiteConfig, configDir: string): Promise<LoadedSuite> {
  const where = `suite '${suite.name}'`
  const rows: DatasetRow[] = []
  let dataset: LoadedDataset | undefined
  if (suite.dataset) {
    dataset = await loadDataset(suite.dataset, configDir, where)
    rows.push(...dataset.rows)
  }
  for (const vars of suite.cases ?? []) rows.push({ vars })
  return { config: suite, cases: assignCaseIds(suite, rows), ...(dataset ? { dataset } : {}) }
}
