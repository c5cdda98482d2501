import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { porterStem } from '../../../src/metrics/porter-stemmer.js'
import { generatePairs } from './generate-pairs.js'
import { corpusLikeReference, scoreLikeReference } from './ours.js'
import { runPythonReference } from './python-reference.js'

const N = 2500
const TOLERANCE = 1e-9

/** Every single-word WordNet lemma plus inflected forms: a large, realistic stemmer word list. */
function stemWords(): string[] {
  const data = JSON.parse(
    gunzipSync(
      readFileSync(new URL('../../../src/metrics/data/wordnet-3.0.json.gz', import.meta.url)),
    ).toString('utf8'),
  ) as { index: Record<string, string> }
  const words = new Set<string>()
  for (const text of Object.values(data.index)) {
    for (const line of text.split('\n')) {
      const w = line.slice(0, line.indexOf(' '))
      if (/^[a-z]+$/.test(w)) {
        words.add(w)
        words.add(`${w}s`)
        words.add(`${w}ing`)
        words.add(`${w}ed`)
        words.add(`${w}ly`)
      }
    }
  }
  return [...words, 'yyyy', 'ys', 'y', 'I', 'İstanbul', 'naïve', 'emoji😀s', '😀😀ing', 'RUNNING']
}

describe('metrics equal the Python references (sacrebleu 2.6.0, rouge-score 0.1.2, nltk 3.10.4)', () => {
  const pairs = generatePairs(N)
  const words = stemWords()
  const ref = runPythonReference(pairs, words)

  it(`scores ${N} generated pairs identically within ${TOLERANCE}`, () => {
    expect(ref.pairs).toHaveLength(N)
    let maxDiff = 0
    let compared = 0
    const failures: string[] = []
    pairs.forEach((pair, i) => {
      const ours = scoreLikeReference(pair)
      const theirs = ref.pairs[i] ?? ({} as Record<string, never>)
      for (const [key, value] of Object.entries(theirs)) {
        const a = ([] as number[]).concat(ours[key] as number | number[])
        const b = ([] as number[]).concat(value)
        b.forEach((v, k) => {
          const d = Math.abs((a[k] ?? NaN) - v)
          compared++
          if (!(d <= TOLERANCE))
            failures.push(`${i} ${key}[${k}]: ours ${a[k]} python ${v} ${JSON.stringify(pair)}`)
          else maxDiff = Math.max(maxDiff, d)
        })
      }
    })
    console.log(
      `differential: ${N} pairs, ${compared} values compared, max abs diff ${maxDiff.toExponential(2)}`,
    )
    expect(failures.slice(0, 10)).toEqual([])
    expect(compared).toBeGreaterThan(N * 20)
  })

  it('corpus BLEU and chrF equal the references', () => {
    const ours = corpusLikeReference(pairs)
    expect(Math.abs(ours.corpus_bleu - ref.corpus.corpus_bleu)).toBeLessThanOrEqual(TOLERANCE)
    expect(Math.abs(ours.corpus_chrf - ref.corpus.corpus_chrf)).toBeLessThanOrEqual(TOLERANCE)
  })

  it(`stems ${words.length} words like NLTK's PorterStemmer()`, () => {
    const diffs = words
      .filter((w, i) => porterStem(w) !== ref.stems[i])
      .map((w) => `${w}: ${porterStem(w)} vs ${ref.stems[words.indexOf(w)]}`)
    console.log(`porter: ${words.length} words, ${diffs.length} differences`)
    expect(diffs.slice(0, 20)).toEqual([])
  })
})
