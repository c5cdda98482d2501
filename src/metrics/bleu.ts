import { SegmentTokenIds } from './bleu-token-ids.js'
import { bleuTokens, spaced13a, type BleuTokenizer } from './bleu-tokenizers.js'
import { NgramMatcher, ngramCount } from './text/ngram-matcher.js'
import { pyRstrip } from './text/python-str.js'
import { SACREBLEU_VERSION } from './reference-versions.js'

/** Smoothing methods of sacreBLEU's BLEU. */
export type BleuSmoothing = 'exp' | 'floor' | 'add-k' | 'none'

/** Options of sacreBLEU's `BLEU(...)`; defaults are those of `corpus_bleu` (sentence level turns effective order on). */
export interface BleuOptions {
  tokenize?: BleuTokenizer
  lowercase?: boolean
  smoothMethod?: BleuSmoothing
  /** floor: default 0.1; add-k: default 1. */
  smoothValue?: number | undefined
  maxNgramOrder?: number
  effectiveOrder?: boolean
}

/** A BLEU score with its components, as sacreBLEU's `BLEUScore` reports them. */
export interface BleuResult {
  /** 0-100. */
  score: number
  counts: number[]
  totals: number[]
  precisions: number[]
  bp: number
  sys_len: number
  ref_len: number
}

const SMOOTH_DEFAULTS: Record<BleuSmoothing, number | null> = {
  none: null,
  floor: 0.1,
  'add-k': 1,
  exp: null,
}

interface Resolved {
  tokenize: BleuTokenizer
  lowercase: boolean
  smoothMethod: BleuSmoothing
  smoothValue?: number | undefined
  maxNgramOrder: number
  effectiveOrder: boolean
}

function resolve(o: BleuOptions, effectiveDefault: boolean): Resolved {
  return {
    tokenize: o.tokenize ?? '13a',
    lowercase: o.lowercase ?? false,
    smoothMethod: o.smoothMethod ?? 'exp',
    smoothValue: o.smoothValue,
    maxNgramOrder: o.maxNgramOrder ?? 4,
    effectiveOrder: o.effectiveOrder ?? effectiveDefault,
  }
}

function bleuResult(
  score: number,
  counts: number[],
  totals: number[],
  precisions: number[],
  bp: number,
  sysLen: number,
  refLen: number,
): BleuResult {
  return { score, counts, totals, precisions, bp, sys_len: sysLen, ref_len: refLen }
}

const myLog = (p: number): number => (p === 0 ? -9999999999 : Math.log(p))

/**
 * `BLEU.compute_bleu` from sufficient statistics (sacrebleu/metrics/bleu.py). Mutates nothing:
 * with add-k the returned counts are the smoothed ones, as upstream reports them.
 */
export function computeBleu(
  correctIn: readonly number[],
  totalIn: readonly number[],
  sysLen: number,
  refLen: number,
  options: {
    smoothMethod?: BleuSmoothing
    smoothValue?: number
    effectiveOrder?: boolean
    maxNgramOrder?: number
  } = {},
): BleuResult {
  const smoothMethod = options.smoothMethod ?? 'none'
  const smoothValue = options.smoothValue ?? SMOOTH_DEFAULTS[smoothMethod] ?? 0
  const maxOrder = options.maxNgramOrder ?? 4
  const correct = [...correctIn]
  const total = [...totalIn]
  let bp = 1.0
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0
  const precisions = new Array<number>(maxOrder).fill(0)
  let anyCorrect = false
  for (const c of correct) if (c !== 0) anyCorrect = true
  if (!anyCorrect) return bleuResult(0.0, correct, total, precisions, bp, sysLen, refLen)
  let smoothMteval = 1.0
  let effOrder = maxOrder
  for (let n = 1; n <= maxOrder; n++) {
    if (smoothMethod === 'add-k' && n > 1) {
      correct[n - 1] = (correct[n - 1] ?? 0) + smoothValue
      total[n - 1] = (total[n - 1] ?? 0) + smoothValue
    }
    const t = total[n - 1] ?? 0
    const c = correct[n - 1] ?? 0
    if (t === 0) break
    if (options.effectiveOrder) effOrder = n
    if (c === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2
        precisions[n - 1] = 100 / (smoothMteval * t)
      } else if (smoothMethod === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / t
      }
    } else {
      precisions[n - 1] = (100 * c) / t
    }
  }
  let sum = 0
  for (let i = 0; i < effOrder; i++) sum += myLog(precisions[i] ?? 0)
  const score = bp * Math.exp(sum / effOrder)
  return bleuResult(score, correct, total, precisions, bp, sysLen, refLen)
}

function prepared(s: string, o: Resolved): string {
  return pyRstrip(o.lowercase ? s.toLowerCase() : s)
}

function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1
  let closestLen = -1
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len)
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff
      closestLen = len
    } else if (diff === closestDiff && len < closestLen) {
      closestLen = len
    }
  }
  return closestLen
}

const matcher = new NgramMatcher()
const tokenIds13a = new SegmentTokenIds()
const tokenIds = new Map<string, number>()
let symbolBuffer = new Int32Array(256)

/** Token ids into the shared buffer; tokens new to the map get ids only when `add` is set, else -1. */
function internTokens(tokens: readonly string[], add: boolean): Int32Array {
  if (symbolBuffer.length < tokens.length) symbolBuffer = new Int32Array(tokens.length * 2)
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string
    let id = tokenIds.get(t)
    if (id === undefined) {
      id = add ? tokenIds.size : -1
      if (add) tokenIds.set(t, id)
    }
    symbolBuffer[i] = id
  }
  return symbolBuffer
}

/**
 * Tokenizes a line into ids (`ids[0..length)`, valid until the next call). 13a reads ids straight
 * from the tokenizer's buffer; the other tokenizers go through strings.
 */
function segmentIds(line: string, o: Resolved, add: boolean): { ids: Int32Array; length: number } {
  if (o.tokenize === '13a') {
    const length = tokenIds13a.read(spaced13a(prepared(line, o)), add)
    return { ids: tokenIds13a.ids, length }
  }
  const tokens = bleuTokens(prepared(line, o), o.tokenize)
  return { ids: internTokens(tokens, add), length: tokens.length }
}

/** Sufficient statistics of one segment: `[hyp_len, ref_len, correct_1..N, total_1..N]`. */
export function bleuSegmentStats(
  hypothesis: string,
  references: readonly string[],
  options: BleuOptions = {},
): number[] {
  const o = resolve(options, false)
  const N = o.maxNgramOrder
  if (references.length === 0) throw new Error('BLEU needs at least one reference per segment')
  // Only the hypothesis' n-grams are interned; references count those, merged by maximum.
  tokenIds.clear()
  tokenIds13a.reset()
  const hyp = segmentIds(hypothesis, o, true)
  const hypLen = hyp.length
  matcher.setHypothesis(hyp.ids, hypLen, N)
  const refLens: number[] = []
  for (const ref of references) {
    const r = segmentIds(ref, o, false)
    refLens.push(r.length)
    matcher.countReference(r.ids, r.length, N)
    matcher.foldReferenceMax()
  }
  const matches = new Array<number>(N + 1).fill(0)
  matcher.clipReferenceMax(matches)
  const stats = [hypLen, closestRefLen(hypLen, refLens)]
  for (let n = 1; n <= N; n++) stats.push(matches[n] as number)
  for (let n = 1; n <= N; n++) stats.push(ngramCount(hypLen, n))
  return stats
}

function fromStats(stats: readonly number[], o: Resolved): BleuResult {
  const N = o.maxNgramOrder
  return computeBleu(stats.slice(2, 2 + N), stats.slice(2 + N), stats[0] ?? 0, stats[1] ?? 0, {
    smoothMethod: o.smoothMethod,
    ...(o.smoothValue !== undefined ? { smoothValue: o.smoothValue } : {}),
    effectiveOrder: o.effectiveOrder,
    maxNgramOrder: N,
  })
}

/**
 * `sacrebleu.sentence_bleu(hypothesis, references)`: effective order on unless told otherwise.
 * 0-100 scale.
 */
export function sentenceBleu(
  hypothesis: string,
  references: readonly string[],
  options: BleuOptions = {},
): BleuResult {
  const o = resolve(options, true)
  return fromStats(bleuSegmentStats(hypothesis, references, o), o)
}

/**
 * `sacrebleu.corpus_bleu(hypotheses, [refs_stream_1, ...])` given per-segment reference lists
 * (a variable number per segment is allowed, like `None` entries upstream). One score from the
 * summed statistics, not a mean of sentence scores. Effective order off unless told otherwise.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: BleuOptions = {},
): BleuResult {
  const o = resolve(options, false)
  const N = o.maxNgramOrder
  const sum = new Array<number>(2 + 2 * N).fill(0)
  hypotheses.forEach((hyp, i) => {
    const stats = bleuSegmentStats(hyp, references[i] ?? [], o)
    for (let k = 0; k < sum.length; k++) sum[k] = (sum[k] ?? 0) + (stats[k] ?? 0)
  })
  return fromStats(sum, o)
}

/** The sacreBLEU-style signature of a BLEU configuration, e.g. `nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0`. */
export function bleuSignature(
  options: BleuOptions,
  sentence: boolean,
  nrefs: number | 'var' = 1,
): string {
  const o = resolve(options, sentence)
  const smoothDefault = SMOOTH_DEFAULTS[o.smoothMethod]
  const smooth =
    smoothDefault === null
      ? o.smoothMethod
      : `${o.smoothMethod}[${(o.smoothValue ?? smoothDefault).toFixed(2)}]`
  return [
    `nrefs:${nrefs}`,
    `case:${o.lowercase ? 'lc' : 'mixed'}`,
    `eff:${o.effectiveOrder ? 'yes' : 'no'}`,
    `tok:${o.tokenize}`,
    `smooth:${smooth}`,
    `version:${SACREBLEU_VERSION}`,
  ].join('|')
}
