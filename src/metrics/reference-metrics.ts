import { z } from 'zod'
import { bleuSignature, corpusBleu, sentenceBleu, type BleuOptions } from './bleu.js'
import { chrfSignature, corpusChrf, sentenceChrf, type ChrfOptions } from './chrf.js'
import { meteorText } from './meteor.js'
import { NLTK_VERSION, ROUGE_SCORE_VERSION } from './reference-versions.js'
import { rougeScoreMulti, type RougeType } from './rouge.js'
import type { CaseInput, CaseMetric, CorpusMetric } from './types.js'

const named = { name: z.string().min(1).optional() }

export const bleuOptionsSchema = z.strictObject({
  ...named,
  tokenize: z.enum(['13a', 'intl', 'none', 'char']).optional(),
  lowercase: z.boolean().optional(),
  smooth_method: z.enum(['exp', 'floor', 'add-k', 'none']).optional(),
  smooth_value: z.number().optional(),
  max_ngram_order: z.int().min(1).max(9).optional(),
  effective_order: z.boolean().optional(),
})
export type BleuSpec = z.infer<typeof bleuOptionsSchema>

export const chrfOptionsSchema = z.strictObject({
  ...named,
  char_order: z.int().min(1).max(20).optional(),
  word_order: z.int().min(0).max(9).optional(),
  beta: z.number().positive().optional(),
  lowercase: z.boolean().optional(),
  whitespace: z.boolean().optional(),
  eps_smoothing: z.boolean().optional(),
})
export type ChrfSpec = z.infer<typeof chrfOptionsSchema>

export const rougeOptionsSchema = z.strictObject({ ...named, stemmer: z.boolean().optional() })
export const meteorOptionsSchema = z.strictObject({
  ...named,
  alpha: z.number().optional(),
  beta: z.number().optional(),
  gamma: z.number().optional(),
})

/** sacreBLEU options from the config's snake_case keys. */
export function toBleuOptions(s: BleuSpec): BleuOptions {
  const o: BleuOptions = {}
  if (s.tokenize !== undefined) o.tokenize = s.tokenize
  if (s.lowercase !== undefined) o.lowercase = s.lowercase
  if (s.smooth_method !== undefined) o.smoothMethod = s.smooth_method
  if (s.smooth_value !== undefined) o.smoothValue = s.smooth_value
  if (s.max_ngram_order !== undefined) o.maxNgramOrder = s.max_ngram_order
  if (s.effective_order !== undefined) o.effectiveOrder = s.effective_order
  return o
}

export function toChrfOptions(s: ChrfSpec): ChrfOptions {
  const o: ChrfOptions = {}
  if (s.char_order !== undefined) o.charOrder = s.char_order
  if (s.word_order !== undefined) o.wordOrder = s.word_order
  if (s.beta !== undefined) o.beta = s.beta
  if (s.lowercase !== undefined) o.lowercase = s.lowercase
  if (s.whitespace !== undefined) o.whitespace = s.whitespace
  if (s.eps_smoothing !== undefined) o.epsSmoothing = s.eps_smoothing
  return o
}

function needRefs(input: CaseInput, metric: string): readonly string[] {
  if (input.references.length === 0) throw new Error(`${metric} needs at least one reference`)
  return input.references
}

/** Sentence BLEU (`sacrebleu.sentence_bleu`, effective order on), 0-100. */
export function bleuMetric(spec: BleuSpec, name = spec.name ?? 'bleu'): CaseMetric {
  const o = toBleuOptions(spec)
  return {
    kind: 'case',
    name,
    definition: `sacrebleu.sentence_bleu ${bleuSignature(o, true, 'var')}`,
    score: (input) => ({ [name]: sentenceBleu(input.prediction, needRefs(input, name), o).score }),
  }
}

/** Corpus BLEU (`sacrebleu.corpus_bleu`, effective order off), 0-100: one value per suite. */
export function corpusBleuMetric(spec: BleuSpec, name = spec.name ?? 'corpus_bleu'): CorpusMetric {
  const o = toBleuOptions(spec)
  return {
    kind: 'corpus',
    name,
    definition: `sacrebleu.corpus_bleu ${bleuSignature(o, false, 'var')}`,
    score: (inputs) => ({
      [name]: corpusBleu(
        inputs.map((i) => i.prediction),
        inputs.map((i) => needRefs(i, name)),
        o,
      ).score,
    }),
  }
}

/** Sentence chrF (or chrF++ with word_order 2), 0-100. */
export function chrfMetric(spec: ChrfSpec, name = spec.name ?? 'chrf'): CaseMetric {
  const o = toChrfOptions(spec)
  return {
    kind: 'case',
    name,
    definition: `sacrebleu.sentence_chrf ${chrfSignature(o, 'var')}`,
    score: (input) => ({ [name]: sentenceChrf(input.prediction, needRefs(input, name), o) }),
  }
}

/** Corpus chrF, 0-100. */
export function corpusChrfMetric(spec: ChrfSpec, name = spec.name ?? 'corpus_chrf'): CorpusMetric {
  const o = toChrfOptions(spec)
  return {
    kind: 'corpus',
    name,
    definition: `sacrebleu.corpus_chrf ${chrfSignature(o, 'var')}`,
    score: (inputs) => ({
      [name]: corpusChrf(
        inputs.map((i) => i.prediction),
        inputs.map((i) => needRefs(i, name)),
        o,
      ),
    }),
  }
}

/** One ROUGE type's F-measure (best reference), 0-1. */
export function rougeMetric(
  type: RougeType,
  spec: { name?: string | undefined; stemmer?: boolean | undefined },
): CaseMetric {
  const name = spec.name ?? type
  const useStemmer = spec.stemmer ?? false
  return {
    kind: 'case',
    name,
    definition: `rouge_score ${ROUGE_SCORE_VERSION} ${type} fmeasure|stemmer:${useStemmer ? 'porter-nltk' : 'no'}|multi:max`,
    score: (input) => ({
      [name]:
        rougeScoreMulti([type], needRefs(input, name), input.prediction, { useStemmer })[type]
          ?.fmeasure ?? 0,
    }),
  }
}

/** NLTK METEOR over whitespace tokens (best reference), 0-1. */
export function meteorMetric(spec: z.infer<typeof meteorOptionsSchema>): CaseMetric {
  const name = spec.name ?? 'meteor'
  const o = { alpha: spec.alpha ?? 0.9, beta: spec.beta ?? 3.0, gamma: spec.gamma ?? 0.5 }
  return {
    kind: 'case',
    name,
    definition: `nltk ${NLTK_VERSION} meteor_score|tok:str.split|lowercase|wordnet:3.0|alpha:${o.alpha}|beta:${o.beta}|gamma:${o.gamma}|multi:max`,
    score: (input) => ({ [name]: meteorText(needRefs(input, name), input.prediction, o) }),
  }
}
