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

function counter(items: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>()
  for (const it of items) m.set(it, (m.get(it) ?? 0) + 1)
  return m
}

function* charNgrams(cps: readonly string[], n: number): Generator<string> {
  for (let i = 0; i + n <= cps.length; i++) {
    let s = ''
    for (let k = i; k < i + n; k++) s += cps[k]
    yield s
  }
}

function* wordNgrams(tokens: readonly string[], n: number): Generator<string> {
  for (let i = 0; i + n <= tokens.length; i++) yield tokens.slice(i, i + n).join(' ')
}

function extractNgrams(sentence: string, o: Resolved): Map<string, number>[] {
  const line = o.whitespace ? sentence : pyRemoveSpaces(sentence)
  const cps = codePoints(line)
  const all: Map<string, number>[] = []
  for (let n = 1; n <= o.charOrder; n++) all.push(counter(charNgrams(cps, n)))
  if (o.wordOrder > 0) {
    const words = removePunctuation(sentence)
    for (let n = 1; n <= o.wordOrder; n++) all.push(counter(wordNgrams(words, n)))
  }
  return all
}

function matchStats(hyp: Map<string, number>, ref: Map<string, number>): [number, number, number] {
  let match = 0
  let hypCount = 0
  for (const [ng, c] of hyp) {
    hypCount += c
    const r = ref.get(ng)
    if (r !== undefined) match += Math.min(c, r)
  }
  let refCount = 0
  for (const c of ref.values()) refCount += c
  return [ref.size > 0 ? hypCount : 0, refCount, match]
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
  const pre = (s: string): string => (o.lowercase ? s.toLowerCase() : s)
  const hypNgrams = extractNgrams(pre(hypothesis), o)
  let best: number[] = []
  let bestF = -1.0
  for (const ref of references) {
    const refNgrams = extractNgrams(pre(ref), o)
    const stats: number[] = []
    hypNgrams.forEach((h, i) =>
      stats.push(...matchStats(h, refNgrams[i] ?? new Map<string, number>())),
    )
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
