import { porterStem } from './porter-stemmer.js'
import { pySplit } from './text/python-str.js'
import { loadWordNet, type WordNet } from './wordnet.js'

/** Parameters of NLTK's `single_meteor_score`. */
export interface MeteorOptions {
  alpha?: number
  beta?: number
  gamma?: number
}

type Enum = [index: number, word: string]

/** Bounded memo of pure per-word functions (stems, synonym sets): texts repeat their words. */
function memo<T>(fn: (w: string) => T, limit = 50_000): (w: string) => T {
  const cache = new Map<string, T>()
  return (w) => {
    let v = cache.get(w)
    if (v === undefined) {
      if (cache.size >= limit) cache.clear()
      v = fn(w)
      cache.set(w, v)
    }
    return v
  }
}

const stem = memo(porterStem)
let synonyms: ((w: string) => ReadonlySet<string>) | undefined

function synonymSet(wordnet: WordNet, w: string): ReadonlySet<string> {
  synonyms ??= memo((word) => {
    const s = wordnet.synonymNames(word)
    s.add(word)
    return s
  })
  return synonyms(w)
}
type Match = [hyp: number, ref: number]

/** Reference word → its indices in order (matching pops from the end, as NLTK walks backwards). */
function wordPositions(ref: Enum[]): Map<string, number[]> {
  const positions = new Map<string, number[]>()
  ref.forEach(([, w], j) => {
    const list = positions.get(w)
    if (list) list.push(j)
    else positions.set(w, [j])
  })
  return positions
}

/** Exact-string stage: each hypothesis word (last first) takes the last unmatched equal reference word. */
function matchEnums(hyp: Enum[], ref: Enum[]): [Match[], Enum[], Enum[]] {
  const positions = wordPositions(ref)
  const matchedHyp = new Set<number>()
  const matchedRef = new Set<number>()
  const matches: Match[] = []
  for (let i = hyp.length - 1; i >= 0; i--) {
    const h = hyp[i] as Enum
    const list = positions.get(h[1])
    if (list && list.length > 0) {
      const j = list.pop() as number
      matchedHyp.add(i)
      matchedRef.add(j)
      matches.push([h[0], (ref[j] as Enum)[0]])
    }
  }
  return [
    matches,
    hyp.filter((_, i) => !matchedHyp.has(i)),
    ref.filter((_, j) => !matchedRef.has(j)),
  ]
}

function synonymMatch(hyp: Enum[], ref: Enum[], wordnet: WordNet): [Match[], Enum[], Enum[]] {
  const positions = wordPositions(ref)
  const matchedHyp = new Set<number>()
  const matchedRef = new Set<number>()
  const matches: Match[] = []
  for (let i = hyp.length - 1; i >= 0; i--) {
    const h = hyp[i] as Enum
    const syns = synonymSet(wordnet, h[1])
    let bestJ = -1
    let bestWord: string | undefined
    for (const syn of syns) {
      const list = positions.get(syn)
      const last = list?.[list.length - 1]
      if (last !== undefined && last > bestJ) {
        bestJ = last
        bestWord = syn
      }
    }
    if (bestWord !== undefined) {
      positions.get(bestWord)?.pop()
      matchedHyp.add(i)
      matchedRef.add(bestJ)
      matches.push([h[0], (ref[bestJ] as Enum)[0]])
    }
  }
  return [
    matches,
    hyp.filter((_, i) => !matchedHyp.has(i)),
    ref.filter((_, j) => !matchedRef.has(j)),
  ]
}

function countChunks(matches: readonly Match[]): number {
  let chunks = 1
  for (let i = 0; i < matches.length - 1; i++) {
    const a = matches[i] as Match
    const b = matches[i + 1] as Match
    if (!(b[0] === a[0] + 1 && b[1] === a[1] + 1)) chunks++
  }
  return chunks
}

/**
 * NLTK `single_meteor_score(reference, hypothesis)` over pre-tokenized words: lower-casing, then
 * exact, Porter-stem and WordNet-synonym stages with greedy alignment, then the fragmentation
 * penalty. 0-1.
 */
export function singleMeteorScore(
  reference: readonly string[],
  hypothesis: readonly string[],
  options: MeteorOptions = {},
): number {
  const alpha = options.alpha ?? 0.9
  const beta = options.beta ?? 3.0
  const gamma = options.gamma ?? 0.5
  const hyp: Enum[] = hypothesis.map((w, i) => [i, w.toLowerCase()])
  const ref: Enum[] = reference.map((w, i) => [i, w.toLowerCase()])
  const translationLength = hyp.length
  const referenceLength = ref.length
  if (translationLength === 0 || referenceLength === 0) return 0.0
  const [exact, h1, r1] = matchEnums(hyp, ref)
  const [stemmed, h2, r2] = matchEnums(
    h1.map(([i, w]) => [i, stem(w)]),
    r1.map(([i, w]) => [i, stem(w)]),
  )
  let synonyms: Match[] = []
  if (h2.length > 0 && r2.length > 0) [synonyms] = synonymMatch(h2, r2, loadWordNet())
  const matches = [...exact, ...stemmed, ...synonyms].sort((a, b) => a[0] - b[0])
  const count = matches.length
  if (count === 0) return 0.0
  const precision = count / translationLength
  const recall = count / referenceLength
  const fmean = (precision * recall) / (alpha * precision + (1 - alpha) * recall)
  const fragFrac = countChunks(matches) / count
  const penalty = gamma * fragFrac ** beta
  return (1 - penalty) * fmean
}

/** NLTK `meteor_score(references, hypothesis)`: the best reference. */
export function meteorScore(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  options: MeteorOptions = {},
): number {
  let best = -Infinity
  for (const r of references) best = Math.max(best, singleMeteorScore(r, hypothesis, options))
  return best
}

/** METEOR over strings split on Python whitespace (`str.split()`), as `llmops score` and suites use it. */
export function meteorText(
  references: readonly string[],
  prediction: string,
  options: MeteorOptions = {},
): number {
  return meteorScore(
    references.map((r) => pySplit(r)),
    pySplit(prediction),
    options,
  )
}
