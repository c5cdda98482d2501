import { open, readFile, truncate, type FileHandle } from 'node:fs/promises'
import { getErrorMessage } from '../errors.js'
import { resultRowSchema, type ResultRow } from '../contracts/results.js'

/** The identity of a result line: one case of one suite against one provider. */
export function rowKey(row: { suite: string; provider: string; case: string }): string {
  return `${row.suite}\u0000${row.provider}\u0000${row.case}`
}

/** What an existing results.jsonl holds. */
export interface ExistingResults {
  rows: ResultRow[]
  /** Bytes up to the end of the last complete line; a cut-off last line lies beyond. */
  validBytes: number
  /** A last line cut off by a crash (dropped). */
  truncatedTail: boolean
  /** Lines that are not result rows (other than the tail), with their line numbers. */
  badLines: number[]
}

/** Reads results.jsonl, tolerating a last line cut off by a killed process. A missing file is empty. */
export async function readResults(file: string): Promise<ExistingResults> {
  let buf: Buffer
  try {
    buf = await readFile(file)
  } catch {
    return { rows: [], validBytes: 0, truncatedTail: false, badLines: [] }
  }
  const rows: ResultRow[] = []
  const badLines: number[] = []
  let start = 0
  let line = 0
  let validBytes = 0
  let truncatedTail = false
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start)
    const end = nl < 0 ? buf.length : nl
    line++
    const text = buf.subarray(start, end).toString('utf8')
    let parsed: ResultRow | undefined
    try {
      const r = resultRowSchema.safeParse(JSON.parse(text))
      if (r.success) parsed = r.data
    } catch {
      parsed = undefined
    }
    if (nl < 0) {
      // No newline: the writer was killed mid-line unless the JSON happens to be complete.
      if (parsed) {
        rows.push(parsed)
        validBytes = buf.length
      } else truncatedTail = text.trim() !== ''
      break
    }
    if (parsed) rows.push(parsed)
    else if (text.trim() !== '') badLines.push(line)
    validBytes = nl + 1
    start = nl + 1
  }
  return { rows, validBytes, truncatedTail, badLines }
}

/** Keeps the last row per key (a resumed or re-run case replaces its earlier line). */
export function latestRows(rows: readonly ResultRow[]): ResultRow[] {
  const byKey = new Map<string, ResultRow>()
  for (const row of rows) {
    const key = rowKey(row)
    byKey.delete(key)
    byKey.set(key, row)
  }
  return [...byKey.values()]
}

/**
 * Appends result rows to results.jsonl in the order cases finish. Lines are group-committed: while one
 * write is in flight, finished rows queue in memory and go out together in the next write, so workers
 * never wait on the disk and a killed run leaves whole lines (plus at most one cut-off line that
 * `readResults` drops); rows still queued at a kill are simply run again by `--resume`.
 */
export class ResultsWriter {
  private pending: string[] = []
  private flushing: Promise<void> | undefined
  private failure: unknown

  private constructor(private readonly handle: FileHandle) {}

  /** Opens for appending; `keepBytes` first cuts the file back to its complete lines (resume). */
  static async open(file: string, keepBytes?: number): Promise<ResultsWriter> {
    if (keepBytes !== undefined) await truncate(file, keepBytes).catch(() => undefined)
    return new ResultsWriter(await open(file, keepBytes === undefined ? 'w' : 'a'))
  }

  /** Queues one row; it is written with the next group commit. A write error surfaces on `close`. */
  append(row: ResultRow): void {
    this.pending.push(`${JSON.stringify(row)}\n`)
    this.flushing ??= this.flush()
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0 && this.failure === undefined) {
        const batch = this.pending.join('')
        this.pending = []
        await this.handle.write(batch)
      }
    } catch (error) {
      this.failure = error
    } finally {
      this.flushing = undefined
    }
  }

  /** Writes what is queued, closes the file and throws the first write error, if any. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing
    if (this.pending.length > 0 && this.failure === undefined) await this.flush()
    await this.handle.close()
    if (this.failure !== undefined) {
      throw this.failure instanceof Error ? this.failure : new Error(getErrorMessage(this.failure))
    }
  }
}
