import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ResultRow } from '../../../src/contracts/results.js'
import { latestRows, readResults, ResultsWriter } from '../../../src/eval/results-file.js'

function row(over: Partial<ResultRow> = {}): ResultRow {
  return {
    suite: 's',
    case: 'c1',
    provider: 'p',
    model: 'm',
    input: 'q',
    output: 'a',
    metrics: { exact: true },
    error: null,
    latency_ms: 1,
    usage: {},
    cached: false,
    ...over,
  }
}

let dir = ''
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('results.jsonl', () => {
  it('appends one complete line per row in finishing order', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-res-'))
    const file = path.join(dir, 'results.jsonl')
    const w = await ResultsWriter.open(file)
    w.append(row({ case: 'a' }))
    w.append(row({ case: 'b' }))
    await w.close()
    const lines = (await readFile(file, 'utf8')).split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe('')
    expect(lines.slice(0, 2).map((l) => (JSON.parse(l) as ResultRow).case)).toEqual(['a', 'b'])
  })

  it('drops a last line cut off by a crash and cuts the file back before appending', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-res-'))
    const file = path.join(dir, 'results.jsonl')
    const good = `${JSON.stringify(row({ case: 'a' }))}\n`
    await writeFile(file, `${good}${JSON.stringify(row({ case: 'b' })).slice(0, 40)}`)
    const existing = await readResults(file)
    expect(existing.rows.map((r) => r.case)).toEqual(['a'])
    expect(existing.truncatedTail).toBe(true)
    expect(existing.validBytes).toBe(Buffer.byteLength(good))
    const w = await ResultsWriter.open(file, existing.validBytes)
    w.append(row({ case: 'b' }))
    await w.close()
    expect((await readResults(file)).rows.map((r) => r.case)).toEqual(['a', 'b'])
    expect((await readResults(file)).truncatedTail).toBe(false)
  })

  it('treats a missing file as empty and reports lines that are not rows', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-res-'))
    expect(await readResults(path.join(dir, 'none.jsonl'))).toEqual({
      rows: [],
      validBytes: 0,
      truncatedTail: false,
      badLines: [],
    })
    const file = path.join(dir, 'r.jsonl')
    await writeFile(file, `{"x":1}\n${JSON.stringify(row())}\n`)
    const r = await readResults(file)
    expect(r.badLines).toEqual([1])
    expect(r.rows).toHaveLength(1)
  })

  it('keeps the latest row per suite, provider and case', () => {
    const rows = [
      row({ case: 'a', output: '1' }),
      row({ case: 'b' }),
      row({ case: 'a', output: '2' }),
      row({ case: 'a', provider: 'q' }),
    ]
    expect(latestRows(rows).map((r) => `${r.case}/${r.provider}/${r.output}`)).toEqual([
      'b/p/a',
      'a/p/2',
      'a/q/a',
    ])
  })
})
