import { bleuSignature, corpusBleu, sentenceBleu } from './bleu.js'
import { chrfSignature, corpusChrf, sentenceChrf } from './chrf.js'
import { exactMatch } from './exact-match.js'
import { meteorText } from './meteor.js'
import { resolveMetric } from './registry.js'
import { ROUGE_TYPES, rougeScoreMulti, type RougeType } from './rouge.js'
import type { CaseInput } from './types.js'

/** One input line of `llmops score`. */
export interface ScoreLine {
  prediction: string
  references: string[]
  vars?: Record<string, unknown>
}

/** One output line: the score and the metric's components. */
export type ScoreOutput = { score: number | boolean | null } & Record<string, unknown>

export interface ScoreOptions {
  stemmer: boolean
}

const isRouge = (m: string): m is RougeType => (ROUGE_TYPES as readonly string[]).includes(m)

/** Metrics `llmops score` computes with their components (others go through the registry). */
export const OFFLINE_METRICS = [
  'exact',
  'bleu',
  'chrf',
  'chrf++',
  ...ROUGE_TYPES,
  'meteor',
] as const

/** Scores one line with a metric (sentence level). BLEU and chrF 0-100, ROUGE and METEOR 0-1. */
export function scoreLine(metric: string, line: ScoreLine, o: ScoreOptions): ScoreOutput {
  const { prediction, references } = line
  if (metric === 'bleu') {
    const r = sentenceBleu(prediction, references)
    return { ...r, signature: bleuSignature({}, true, references.length) }
  }
  if (metric === 'chrf' || metric === 'chrf++') {
    const options = metric === 'chrf++' ? { wordOrder: 2 } : {}
    return {
      score: sentenceChrf(prediction, references, options),
      signature: chrfSignature(options, references.length),
    }
  }
  if (isRouge(metric)) {
    const s = rougeScoreMulti([metric], references, prediction, { useStemmer: o.stemmer })[metric]
    return { score: s?.fmeasure ?? 0, precision: s?.precision ?? 0, recall: s?.recall ?? 0 }
  }
  if (metric === 'meteor') return { score: meteorText(references, prediction) }
  if (metric === 'exact') return { score: exactMatch(prediction, references) ? 1 : 0 }
  const m = resolveMetric(metric)
  if (m.kind !== 'case')
    throw new Error(
      `metric ${metric} cannot be scored offline (it needs ${m.kind === 'model' ? 'a judge model' : 'the whole corpus'})`,
    )
  const input: CaseInput = { prediction, references, vars: line.vars ?? {} }
  const values = m.score(input)
  const main = values[m.name] ?? null
  return { ...values, score: typeof main === 'boolean' ? (main ? 1 : 0) : main }
}

/** Scores a whole file as one corpus: corpus BLEU / chrF from summed statistics, otherwise the mean of line scores. */
export function scoreCorpus(
  metric: string,
  lines: readonly ScoreLine[],
  o: ScoreOptions,
): ScoreOutput {
  const hyps = lines.map((l) => l.prediction)
  const refs = lines.map((l) => l.references)
  const nrefs = new Set(refs.map((r) => r.length)).size === 1 ? (refs[0]?.length ?? 0) : 'var'
  if (metric === 'bleu')
    return {
      ...corpusBleu(hyps, refs),
      signature: bleuSignature({}, false, nrefs),
      n: lines.length,
    }
  if (metric === 'chrf' || metric === 'chrf++') {
    const options = metric === 'chrf++' ? { wordOrder: 2 } : {}
    return {
      score: corpusChrf(hyps, refs, options),
      signature: chrfSignature(options, nrefs),
      n: lines.length,
    }
  }
  let sum = 0
  let n = 0
  for (const l of lines) {
    const s = scoreLine(metric, l, o).score
    if (typeof s === 'number') {
      sum += s
      n++
    }
  }
  return { score: n === 0 ? null : sum / n, n, aggregation: 'mean' }
}
