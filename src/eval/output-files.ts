import { randomUUID } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** Names of the files an eval run writes under `--out`. */
export const RESULTS_FILE = 'results.jsonl'
export const SUMMARY_FILE = 'summary.json'

/** Writes JSON through a temporary file renamed into place, so readers never see half a file. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = `${file}.${randomUUID()}.tmp`
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`)
  await rename(tmp, file)
}
