import { NgramMatcher, ngramCount } from './text/ngram-matcher.js'
import { codePoints, isPySpace, pySplit } from './text/python-str.js'
import { SACREBLEU_VERSION } from './reference-versions.js'

/** Options of sacreBLEU's `CHRF(...)`: defaults give chrF2; `wordOrder: 2` gives chrF++. */
export interface ChrfOptions {
  charOrder?: number
  wordOrder?: number
  beta?: number
  lowercase?: boolean
  whitespace?: boolean
  epsSmoothing?: boolean
}

type Resolved = Required<ChrfOptions>

function resolve(o: ChrfOptions): Resolved {
  return {
    charOrder: o.charOrder ?? 6,
    wordOrder: o.wordOrder ?? 0,
    beta: o.beta ?? 2,
    lowercase: o.lowercase ?? false,
    whitespace: o.whitespace ?? false,
    epsSmoothing: o.epsSmoothing ?? false,
  }
}

const PUNCTS = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')

/** chrF++ word tokens: split one trailing (else leading) ASCII punctuation mark off each word. */
function removePunctuation(sentence: string): string[] {
  const out: string[] = []
  for (const w of pySplit(sentence)) {
    const cps = codePoints(w)
    if (cps.length === 1) {
      out.push(w)
      continue
    }
    const last = cps[cps.length - 1] ?? ''
    const first = cps[0] ?? ''
    if (PUNCTS.has(last)) out.push(cps.slice(0, -1).join(''), last)
    else if (PUNCTS.has(first)) out.push(first, cps.slice(1).join(''))
    else out.push(w)
  }
  return out
}

/** `CHRF._compute_f_score` over `[hyp, ref, match]` triples per order; 0-100. */
export function chrfFromStats(stats: readonly number[], options: ChrfOptions = {}): number {
  const o = resolve(options)
  const order = o.charOrder + o.wordOrder
  const eps = 1e-16
  const factor = o.beta ** 2
  let score = 0.0
  let effectiveOrder = 0
  let avgPrec = 0.0
  let avgRec = 0.0
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i] ?? 0
    const nRef = stats[3 * i + 1] ?? 0
    const nMatch = stats[3 * i + 2] ?? 0
    const prec = nHyp > 0 ? nMatch / nHyp : eps
    const rec = nRef > 0 ? nMatch / nRef : eps
    const denom = factor * prec + rec
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec
      avgRec += rec
      effectiveOrder += 1
    }
  }
  if (o.epsSmoothing) return (100 * score) / order
  if (effectiveOrder === 0) {
    avgPrec = avgRec = 0.0
  } else {
    avgPrec /= effectiveOrder
    avgRec /= effectiveOrder
  }
  if (avgPrec + avgRec) {
    let s = (1 + factor) * avgPrec * avgRec
    s /= factor * avgPrec + avgRec
    return 100 * s
  }
  return 0.0
}

const matcher = new NgramMatcher()
const wordIds = new Map<string, number>()
let charBuffer = new Int32Array(1024)
let wordBuffer = new Int32Array(256)

/** Code points of the text into the shared buffer, Python whitespace dropped unless kept; returns the length. */
function charSymbols(text: string, keepSpaces: boolean): number {
  if (charBuffer.length < text.length) charBuffer = new Int32Array(text.length * 2)
  let k = 0
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i)
    if (!keepSpaces && isPySpace(c)) continue
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000
        i++
      }
    }
    charBuffer[k++] = c
  }
  return k
}

/** chrF++ word ids into the shared buffer (-1 for words new to the map unless `add`); returns the length. */
function wordSymbols(text: string, add: boolean): number {
  const words = removePunctuation(text)
  if (wordBuffer.length < words.length) wordBuffer = new Int32Array(words.length * 2)
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string
    let id = wordIds.get(w)
    if (id === undefined) {
      id = add ? wordIds.size : -1
      if (add) wordIds.set(w, id)
    }
    wordBuffer[i] = id
  }
  return words.length
}

/** `[hyp_count, ref_count, matches]` per order of one kind of n-gram, appended to `stats`. */
function addOrderStats(
  stats: number[],
  hypLen: number,
  refLen: number,
  maxOrder: number,
  matches: number[],
): void {
  for (let n = 1; n <= maxOrder; n++) {
    const refCount = ngramCount(refLen, n)
    stats.push(refCount > 0 ? ngramCount(hypLen, n) : 0, refCount, matches[n] as number)
  }
}

/** Statistics of one segment against its best reference (highest sentence F; the first wins ties). */
export function chrfSegmentStats(
  hypothesis: string,
  references: readonly string[],
  options: ChrfOptions = {},
): number[] {
  const o = resolve(options)
  const prep = (s: string): string => (o.lowercase ? s.toLowerCase() : s)
  const hyp = prep(hypothesis)
  const refs = references.map(prep)
  // Char and word n-grams go through the one matcher in turn; the char stats come first.
  const hypChars = charSymbols(hyp, o.whitespace)
  const charMatches: number[][] = []
  const refChars: number[] = []
  matcher.setHypothesis(charBuffer, hypChars, o.charOrder)
  for (const r of refs) {
    const m = new Array<number>(o.charOrder + 1).fill(0)
    const len = charSymbols(r, o.whitespace)
    matcher.countReference(charBuffer, len, o.charOrder)
    matcher.clipReference(m)
    charMatches.push(m)
    refChars.push(len)
  }
  const wordMatches: number[][] = []
  const refWords: number[] = []
  let hypWords = 0
  if (o.wordOrder > 0) {
    wordIds.clear()
    hypWords = wordSymbols(hyp, true)
    matcher.setHypothesis(wordBuffer, hypWords, o.wordOrder)
    for (const r of refs) {
      const m = new Array<number>(o.wordOrder + 1).fill(0)
      const len = wordSymbols(r, false)
      matcher.countReference(wordBuffer, len, o.wordOrder)
      matcher.clipReference(m)
      wordMatches.push(m)
      refWords.push(len)
    }
  }
  let best: number[] = []
  let bestF = -1.0
  for (let k = 0; k < refs.length; k++) {
    const stats: number[] = []
    addOrderStats(stats, hypChars, refChars[k] as number, o.charOrder, charMatches[k] as number[])
    if (o.wordOrder > 0) {
      addOrderStats(stats, hypWords, refWords[k] as number, o.wordOrder, wordMatches[k] as number[])
    }
    const f = chrfFromStats(stats, o)
    if (f > bestF) {
      bestF = f
      best = stats
    }
  }
  return best
}

/** `sacrebleu.sentence_chrf(hypothesis, references, ...)`, 0-100. */
export function sentenceChrf(
  hypothesis: string,
  references: readonly string[],
  options: ChrfOptions = {},
): number {
  return chrfFromStats(chrfSegmentStats(hypothesis, references, options), options)
}

/** `sacrebleu.corpus_chrf`: one score from the summed statistics of the chosen references. */
export function corpusChrf(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: ChrfOptions = {},
): number {
  const o = resolve(options)
  const sum = new Array<number>(3 * (o.charOrder + o.wordOrder)).fill(0)
  hypotheses.forEach((h, i) => {
    const stats = chrfSegmentStats(h, references[i] ?? [], o)
    stats.forEach((v, k) => (sum[k] = (sum[k] ?? 0) + v))
  })
  return chrfFromStats(sum, o)
}

/** sacreBLEU-style chrF signature, e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`. */
export function chrfSignature(options: ChrfOptions = {}, nrefs: number | 'var' = 1): string {
  const o = resolve(options)
  return [
    `nrefs:${nrefs}`,
    `case:${o.lowercase ? 'lc' : 'mixed'}`,
    `eff:${o.epsSmoothing ? 'no' : 'yes'}`,
    `nc:${o.charOrder}`,
    `nw:${o.wordOrder}`,
    `space:${o.whitespace ? 'yes' : 'no'}`,
    `version:${SACREBLEU_VERSION}`,
  ].join('|')
}
