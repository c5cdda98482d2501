import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml'
import { ConfigurationError, getErrorMessage } from '../errors.js'

/** One dataset row with where it came from (file and 1-based line), for error messages and annotations. */
export interface DatasetRow {
  vars: Record<string, unknown>
  source?: { file: string; line: number }
}

/** A loaded dataset file: its rows and the sha256 of its bytes (recorded in provenance). */
export interface LoadedDataset {
  file: string
  rows: DatasetRow[]
  sha256: string
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v)

function fromJsonl(text: string, file: string, problems: string[]): DatasetRow[] {
  const rows: DatasetRow[] = []
  const lines = text.split('\n')
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      problems.push(`${file}:${i + 1}: not valid JSON: ${getErrorMessage(error)}`)
      return
    }
    if (!isRecord(value)) {
      problems.push(
        `${file}:${i + 1}: each line must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
      )
      return
    }
    rows.push({ vars: value, source: { file, line: i + 1 } })
  })
  return rows
}

function fromCsv(text: string, file: string, problems: string[]): DatasetRow[] {
  try {
    const records = parseCsv(text, {
      columns: true,
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: { lines?: number; message: string } | undefined) => {
        if (error) problems.push(`${file}:${error.lines ?? '?'}: ${error.message}`)
      },
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[]
    return records.map((r) => ({ vars: r.record, source: { file, line: r.info.lines } }))
  } catch (error) {
    const lines = (error as { lines?: number }).lines
    problems.push(`${file}:${lines ?? 1}: ${getErrorMessage(error)}`)
    return []
  }
}

/** JSON (or YAML) parsed with positions: an array of objects, or an object with a `cases`/`data` array. */
function fromStructured(text: string, file: string, problems: string[]): DatasetRow[] {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false })
  const first = doc.errors[0]
  if (first) {
    problems.push(
      `${file}:${lc.linePos(first.pos[0]).line}: not valid JSON: ${first.message.split('\n')[0]}`,
    )
    return []
  }
  let seq = doc.contents
  if (isMap(seq)) {
    const pair = seq.items.find((p) =>
      ['cases', 'data', 'rows'].includes(String((p.key as { value?: unknown })?.value)),
    )
    seq = pair?.value ?? null
  }
  if (!isSeq(seq)) {
    problems.push(`${file}:1: expected an array of objects (or an object with a "cases" array)`)
    return []
  }
  const rows: DatasetRow[] = []
  for (const item of seq.items) {
    const line = lc.linePos(
      (item as { range?: [number, number, number] | null }).range?.[0] ?? 0,
    ).line
    const value: unknown = (item as { toJSON(): unknown }).toJSON()
    if (!isRecord(value)) {
      problems.push(`${file}:${line}: each case must be an object`)
      continue
    }
    rows.push({ vars: value, source: { file, line } })
  }
  return rows
}

/**
 * Reads a dataset file (JSONL, CSV, JSON, YAML) relative to the config directory. Every malformed row
 * is reported with file:line in one ConfigurationError.
 */
export async function loadDataset(
  relative: string,
  configDir: string,
  where: string,
): Promise<LoadedDataset> {
  const abs = path.resolve(configDir, relative)
  let bytes: Buffer
  try {
    bytes = await readFile(abs)
  } catch {
    throw new ConfigurationError(
      `${where}: dataset ${relative} not found (paths are relative to the config file: ${abs})`,
    )
  }
  const text = bytes.toString('utf8')
  const problems: string[] = []
  const ext = path.extname(abs).toLowerCase()
  let rows: DatasetRow[]
  if (ext === '.jsonl' || ext === '.ndjson') rows = fromJsonl(text, relative, problems)
  else if (ext === '.csv') rows = fromCsv(text, relative, problems)
  else if (ext === '.json' || ext === '.yaml' || ext === '.yml')
    rows = fromStructured(text, relative, problems)
  else
    throw new ConfigurationError(
      `${where}: dataset ${relative}: unsupported file type '${ext}' (use .jsonl, .csv, .json or .yaml)`,
    )
  if (problems.length)
    throw new ConfigurationError(
      `${problems.length} malformed row(s) in ${relative}: ${problems[0]}`,
      problems,
    )
  return { file: relative, rows, sha256: createHash('sha256').update(bytes).digest('hex') }
}
