import { pyReSplitSpaces } from '../text/python-str.js'

/** One document's summed loglikelihood and its size, for corpus-weighted perplexities. */
export interface DocumentLoglikelihood {
  ll: number
  /** The document text (for word and byte counts). */
  text: string
}

/** lm-eval's word count: `len(re.split(r"\s+", doc))`, which counts empty strings at the ends. */
export function countWords(text: string): number {
  return pyReSplitSpaces(text).length
}

/** Corpus-weighted perplexities (lm-eval `weighted_perplexity`, `bits_per_byte`). */
export function corpusPerplexity(docs: readonly DocumentLoglikelihood[]): {
  word_perplexity: number
  byte_perplexity: number
  bits_per_byte: number
} {
  let ll = 0
  let words = 0
  let bytes = 0
  for (const d of docs) {
    ll += d.ll
    words += countWords(d.text)
    bytes += Buffer.byteLength(d.text, 'utf8')
  }
  return {
    word_perplexity: Math.exp(-ll / words),
    byte_perplexity: Math.exp(-ll / bytes),
    bits_per_byte: -ll / bytes / Math.LN2,
  }
}

/** lm-eval `perplexity` for loglikelihood tasks: `exp(-mean(ll))` over documents. */
export function meanPerplexity(lls: readonly number[]): number {
  let sum = 0
  for (const ll of lls) sum += ll
  return Math.exp(-(sum / lls.length))
}

/** Perplexity of generated tokens from chat logprobs: `exp(-mean(token_logprob))` (our definition, not HF evaluate's). */
export function tokenPerplexity(logprobs: readonly number[]): number | null {
  if (logprobs.length === 0) return null
  let sum = 0
  for (const l of logprobs) sum += l
  return Math.exp(-sum / logprobs.length)
}

/**
 * lm-eval `get_rolling_token_windows`: disjoint windows of `maxSeqLen` predicted tokens, each with
 * its context; the first window starts with the prefix token.
 */
export function rollingWindows(
  tokens: readonly number[],
  prefixToken: number,
  maxSeqLen: number,
  contextLen: number,
): [context: number[], predicted: number[]][] {
  if (tokens.length === 0) return []
  if (!(1 <= contextLen && contextLen <= maxSeqLen))
    throw new Error('contextLen must be in 1..maxSeqLen')
  const out: [number[], number[]][] = []
  const predSplit = maxSeqLen - contextLen + 1
  let predicted = 0
  const firstLen = Math.min(maxSeqLen, tokens.length)
  out.push([[prefixToken, ...tokens.slice(0, firstLen - 1)], tokens.slice(0, firstLen)])
  predicted += firstLen
  while (predicted < tokens.length) {
    const windowPredLen = Math.min(tokens.length - predicted, predSplit)
    const windowEnd = predicted + windowPredLen
    out.push([
      tokens.slice(windowEnd - maxSeqLen - 1, windowEnd - 1),
      tokens.slice(windowEnd - windowPredLen, windowEnd),
    ])
    predicted += windowPredLen
  }
  return out
}
