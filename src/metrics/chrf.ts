import {
  clippedMatches,
  codePointArray,
  countNgrams,
  NgramTrie,
  type NgramCounts,
} from './ngram-trie.js'
import { codePoints, pyRemoveSpaces, pySplit } from './text/python-str.js'
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

/** Per-order statistics of one segment text: char n-gram ids, then word n-gram ids (chrF++). */
interface SegmentNgrams {
  chars: NgramCounts
  words: NgramCounts | undefined
}

function internWords(words: readonly string[], ids: Map<string, number>): number[] {
  return words.map((w) => {
    let id = ids.get(w)
    if (id === undefined) {
      id = ids.size
      ids.set(w, id)
    }
    return id
  })
}

/** `[hyp_count, ref_count, matches]` for each char order, then each word order. */
function pairStats(
  h: SegmentNgrams,
  r: SegmentNgrams,
  o: Resolved,
  charTrie: NgramTrie,
  wordTrie: NgramTrie,
): number[] {
  const stats: number[] = []
  const add = (hc: NgramCounts, rc: NgramCounts, trie: NgramTrie, order: number) => {
    const m = clippedMatches(hc, rc, trie, order)
    for (let n = 1; n <= order; n++) {
      const refCount = rc.perOrder[n] ?? 0
      stats.push(refCount > 0 ? (hc.perOrder[n] ?? 0) : 0, refCount, m[n] ?? 0)
    }
  }
  add(h.chars, r.chars, charTrie, o.charOrder)
  if (o.wordOrder > 0 && h.words && r.words) add(h.words, r.words, wordTrie, o.wordOrder)
  return stats
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

/** Statistics of one segment against its best reference (highest sentence F; the first wins ties). */
export function chrfSegmentStats(
  hypothesis: string,
  references: readonly string[],
  options: ChrfOptions = {},
): number[] {
  const o = resolve(options)
  const wordIds = new Map<string, number>()
  const texts = [hypothesis, ...references].map((s) => (o.lowercase ? s.toLowerCase() : s))
  let chars = 0
  for (const t of texts) chars += t.length
  const charTrie = new NgramTrie(chars * o.charOrder)
  const wordTrie = new NgramTrie(o.wordOrder > 0 ? chars * o.wordOrder : 0)
  const ids = texts.map((t) => ({
    chars: charTrie.ngrams(codePointArray(o.whitespace ? t : pyRemoveSpaces(t)), o.charOrder),
    words:
      o.wordOrder > 0
        ? wordTrie.ngrams(internWords(removePunctuation(t), wordIds), o.wordOrder)
        : undefined,
  }))
  const segments: SegmentNgrams[] = ids.map((x) => ({
    chars: countNgrams(x.chars, charTrie, o.charOrder),
    words: x.words ? countNgrams(x.words, wordTrie, o.wordOrder) : undefined,
  }))
  const hyp = segments[0] as SegmentNgrams
  let best: number[] = []
  let bestF = -1.0
  for (let k = 1; k < segments.length; k++) {
    const stats = pairStats(hyp, segments[k] as SegmentNgrams, o, charTrie, wordTrie)
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
