import { corpusBleu, sentenceBleu } from '../../../src/metrics/bleu.js'
import { corpusChrf, sentenceChrf } from '../../../src/metrics/chrf.js'
import { meteorText } from '../../../src/metrics/meteor.js'
import { rougeScoreMulti } from '../../../src/metrics/rouge.js'
import type { Pair } from './generate-pairs.js'
import type { ReferenceScores } from './python-reference.js'

const TYPES = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const

/** Our scores for one pair, in the shape python/reference_metrics.py prints. */
export function scoreLikeReference(p: Pair): ReferenceScores {
  const out: ReferenceScores = {
    bleu: sentenceBleu(p.prediction, p.references).score,
    bleu_intl: sentenceBleu(p.prediction, p.references, { tokenize: 'intl' }).score,
    bleu_char_floor: sentenceBleu(p.prediction, p.references, {
      tokenize: 'char',
      smoothMethod: 'floor',
    }).score,
    bleu_none_addk: sentenceBleu(p.prediction, p.references, {
      tokenize: 'none',
      smoothMethod: 'add-k',
      lowercase: true,
    }).score,
    chrf: sentenceChrf(p.prediction, p.references),
    chrfpp: sentenceChrf(p.prediction, p.references, { wordOrder: 2 }),
    chrf_eps: sentenceChrf(p.prediction, p.references, { epsSmoothing: true }),
    meteor: meteorText(p.references, p.prediction),
  }
  const plain = rougeScoreMulti(TYPES, p.references, p.prediction)
  const stem = rougeScoreMulti(TYPES, p.references, p.prediction, { useStemmer: true })
  for (const t of TYPES) {
    const a = plain[t]
    const b = stem[t]
    out[t] = a ? [a.precision, a.recall, a.fmeasure] : []
    out[`${t}_stem`] = b ? [b.precision, b.recall, b.fmeasure] : []
  }
  return out
}

/** Corpus BLEU and chrF over all pairs. */
export function corpusLikeReference(pairs: readonly Pair[]): {
  corpus_bleu: number
  corpus_chrf: number
} {
  const hyps = pairs.map((p) => p.prediction)
  const refs = pairs.map((p) => p.references)
  return { corpus_bleu: corpusBleu(hyps, refs).score, corpus_chrf: corpusChrf(hyps, refs) }
}
