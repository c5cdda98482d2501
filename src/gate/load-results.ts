import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import type { z } from 'zod'
import { benchSchema, type Bench } from '../contracts/bench.js'
import { resultRowSchema, type ResultRow } from '../contracts/results.js'
import { summarySchema, type Summary } from '../contracts/summary.js'
import { ConfigurationError } from '../errors.js'

/** Everything the gate reads from one results directory (an eval/bench/safety output or a downloaded artifact). */
export interface ResultsDir {
  dir: string
  rows: ResultRow[]
  summary: Summary | null
  bench: Bench | null
  /** Other JSON outputs found beside them (e.g. safety.json), parsed but not validated: check providers validate their own. */
  extra: Record<string, unknown>
  files: string[]
}

/** Artifacts come from other workflows and may be hostile: cap what we are willing to parse. */
const MAX_JSONL_BYTES = 1024 * 1024 * 1024
const MAX_JSON_BYTES = 256 * 1024 * 1024
const MAX_LINE_CHARS = 16 * 1024 * 1024

/** Where each file may sit: the directory itself or the sub-folders the sub-actions write by default. */
const SUBDIRS = ['', 'eval', 'bench', 'safety']

/**
 * Reads results.jsonl, summary.json, bench.json and safety.json from a directory (or its eval/,
 * bench/, safety/ sub-folders), validating each line and file with the contract schemas. Invalid data
 * is a ConfigurationError naming the file and line: an artifact is data, never trusted.
 */
export async function loadResultsDir(dir: string): Promise<ResultsDir> {
  const info = await stat(dir).catch(() => null)
  if (!info?.isDirectory())
    throw new ConfigurationError(`results directory '${dir}' does not exist or is not a directory`)
  const files: string[] = []
  const rows: ResultRow[] = []
  let summary: Summary | null = null
  let bench: Bench | null = null
  const extra: Record<string, unknown> = {}
  for (const sub of SUBDIRS) {
    const base = path.join(dir, sub)
    const jsonl = path.join(base, 'results.jsonl')
    if (await isFile(jsonl)) {
      files.push(jsonl)
      rows.push(...(await readResultsJsonl(jsonl)))
    }
    const s = await readJsonFile(path.join(base, 'summary.json'), summarySchema)
    if (s) {
      files.push(path.join(base, 'summary.json'))
      summary = summary ? mergeSummaries(summary, s) : s
    }
    const b = await readJsonFile(path.join(base, 'bench.json'), benchSchema)
    if (b) {
      files.push(path.join(base, 'bench.json'))
      bench ??= b
    }
    const safetyFile = path.join(base, 'safety.json')
    if (await isFile(safetyFile)) {
      files.push(safetyFile)
      extra.safety ??= await readJsonText(safetyFile)
    }
  }
  return { dir, rows, summary, bench, extra, files }
}

async function isFile(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isFile() ?? false
}

/** Reads and validates results.jsonl line by line; blank lines are skipped. */
export async function readResultsJsonl(file: string): Promise<ResultRow[]> {
  const size = (await stat(file)).size
  if (size > MAX_JSONL_BYTES)
    throw new ConfigurationError(
      `${file}: ${size} bytes is more than the ${MAX_JSONL_BYTES}-byte limit`,
    )
  const rows: ResultRow[] = []
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  })
  let lineNo = 0
  for await (const line of lines) {
    lineNo++
    if (line.trim() === '') continue
    if (line.length > MAX_LINE_CHARS)
      throw new ConfigurationError(
        `${file}:${lineNo}: line longer than ${MAX_LINE_CHARS} characters`,
      )
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      throw new ConfigurationError(
        `${file}:${lineNo}: not valid JSON (${(error as Error).message})`,
      )
    }
    const parsed = resultRowSchema.safeParse(value)
    if (!parsed.success)
      throw new ConfigurationError(`${file}:${lineNo}: ${describeIssues(parsed.error)}`)
    rows.push(parsed.data)
  }
  return rows
}

async function readJsonText(file: string): Promise<unknown> {
  const size = (await stat(file)).size
  if (size > MAX_JSON_BYTES)
    throw new ConfigurationError(
      `${file}: ${size} bytes is more than the ${MAX_JSON_BYTES}-byte limit`,
    )
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown
  } catch (error) {
    throw new ConfigurationError(`${file}: not valid JSON (${(error as Error).message})`)
  }
}

async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<T | null> {
  if (!(await isFile(file))) return null
  const parsed = schema.safeParse(await readJsonText(file))
  if (!parsed.success) throw new ConfigurationError(`${file}: ${describeIssues(parsed.error)}`)
  return parsed.data
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ')
}

/** Shards written to sub-folders may each carry a summary; suites are merged, the first provenance wins. */
function mergeSummaries(a: Summary, b: Summary): Summary {
  return { ...a, suites: { ...a.suites, ...b.suites } }
}
