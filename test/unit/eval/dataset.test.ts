import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { suiteSchema } from '../../../src/eval/config-schema.js'
import { loadDataset } from '../../../src/eval/dataset.js'
import { assignCaseIds, contentId, loadSuite } from '../../../src/eval/suite-cases.js'
import { ConfigurationError } from '../../../src/errors.js'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-ds-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function problems(name: string, text: string): Promise<readonly string[]> {
  await writeFile(path.join(dir, name), text)
  try {
    await loadDataset(name, dir, "suite 's'")
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return (error as ConfigurationError).problems
  }
  throw new Error('expected a ConfigurationError')
}

describe('loadDataset', () => {
  it('reads JSONL rows with their line numbers and hashes the file bytes', async () => {
    const text = '{"q": "a"}\n\n{"q": "b"}\r\n'
    await writeFile(path.join(dir, 'ok.jsonl'), text)
    const ds = await loadDataset('ok.jsonl', dir, 'w')
    expect(ds.rows).toEqual([
      { vars: { q: 'a' }, source: { file: 'ok.jsonl', line: 1 } },
      { vars: { q: 'b' }, source: { file: 'ok.jsonl', line: 3 } },
    ])
    expect(ds.sha256).toBe(createHash('sha256').update(text).digest('hex'))
  })

  it('reports every malformed JSONL row with file:line', async () => {
    expect(await problems('bad.jsonl', '{"q": 1}\n{"q": \n[1, 2]\n{"q": 3}\n"text"\n')).toEqual([
      expect.stringMatching(/^bad\.jsonl:2: not valid JSON/),
      'bad.jsonl:3: each line must be a JSON object, got an array',
      'bad.jsonl:5: each line must be a JSON object, got string',
    ])
  })

  it('reads CSV with a header and reports rows with the wrong column count', async () => {
    await writeFile(
      path.join(dir, 'ok.csv'),
      '\uFEFFid,question,answer\n1,"Hello, world",hi\n2,"multi\nline",x\n',
    )
    const ds = await loadDataset('ok.csv', dir, 'w')
    expect(ds.rows.map((r) => r.vars)).toEqual([
      { id: '1', question: 'Hello, world', answer: 'hi' },
      { id: '2', question: 'multi\nline', answer: 'x' },
    ])
    expect(ds.rows[0]!.source).toEqual({ file: 'ok.csv', line: 2 })
    const p = await problems('bad.csv', 'id,q\n1,a\n2,b,c\n3,d\n4\n')
    expect(p).toHaveLength(2)
    expect(p[0]).toMatch(/^bad\.csv:3: /)
    expect(p[1]).toMatch(/^bad\.csv:5: /)
  })

  it('reads JSON arrays (or {cases: [...]}) with the line of each element', async () => {
    await writeFile(
      path.join(dir, 'ok.json'),
      '{\n  "cases": [\n    {"q": "a"},\n    {"q": "b"}\n  ]\n}\n',
    )
    const ds = await loadDataset('ok.json', dir, 'w')
    expect(ds.rows).toEqual([
      { vars: { q: 'a' }, source: { file: 'ok.json', line: 3 } },
      { vars: { q: 'b' }, source: { file: 'ok.json', line: 4 } },
    ])
    expect(await problems('bad.json', '[\n  {"q": 1},\n  42\n]\n')).toEqual([
      'bad.json:3: each case must be an object',
    ])
    expect((await problems('broken.json', '[\n  {"q": 1},\n  {"q": \n'))[0]).toMatch(
      /^broken\.json:\d+: not valid JSON/,
    )
  })

  it('names a missing file and an unsupported type', async () => {
    await expect(loadDataset('nope.jsonl', dir, "suite 's'")).rejects.toThrow(
      "suite 's': dataset nope.jsonl not found",
    )
    await writeFile(path.join(dir, 'x.txt'), 'hi')
    await expect(loadDataset('x.txt', dir, "suite 's'")).rejects.toThrow(
      "unsupported file type '.txt'",
    )
  })
})

describe('case ids', () => {
  const suite = suiteSchema.parse({ name: 's', cases: [{}], tags: ['smoke'] })

  it('uses the id field, else a content hash stable under key order', () => {
    const cases = assignCaseIds(suite, [{ vars: { id: 7, q: 'a' } }, { vars: { q: 'b', a: 1 } }])
    expect(cases[0]!.id).toBe('7')
    expect(cases[1]!.id).toBe(contentId({ a: 1, q: 'b' }))
    expect(cases[1]!.id).toMatch(/^[0-9a-f]{16}$/)
    expect(cases[0]!.tags).toEqual(['smoke'])
  })

  it('numbers identical rows and rejects duplicate explicit ids with both lines', () => {
    const ids = assignCaseIds(suite, [{ vars: { q: 'x' } }, { vars: { q: 'x' } }]).map((c) => c.id)
    expect(ids[1]).toBe(`${ids[0]}~2`)
    expect(() =>
      assignCaseIds(suite, [
        { vars: { id: 'a' }, source: { file: 'd.jsonl', line: 1 } },
        { vars: { id: 'a' }, source: { file: 'd.jsonl', line: 4 } },
      ]),
    ).toThrow("d.jsonl:4: suite 's': duplicate case id 'a' (first at d.jsonl:1)")
  })

  it('merges suite tags with row tags (lists or comma-separated CSV cells)', async () => {
    await writeFile(path.join(dir, 't.csv'), 'id,tags\n1,"a, b"\n')
    const s = await loadSuite(
      suiteSchema.parse({
        name: 's',
        dataset: 't.csv',
        tags: ['smoke'],
        cases: [{ id: 'x', tags: ['c'] }],
      }),
      dir,
    )
    expect(s.cases.map((c) => [c.id, c.tags])).toEqual([
      ['1', ['smoke', 'a', 'b']],
      ['x', ['smoke', 'c']],
    ])
  })
})
