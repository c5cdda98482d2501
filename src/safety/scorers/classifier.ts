import type { ToxicityResult, ToxicityScorer } from '../types.js'
import { MalformedReplyError, postJson, type EndpointOptions } from './post-json.js'

const BATCH = 32
/** Labels that mean "not toxic" when no label map is configured. */
const SAFE_LABEL =
  /^(?:non[-_ ]?toxic|not[-_ ]?toxic|neutral|safe|normal|nothate|not[-_ ]?hate|non[-_ ]?hate|benign|ok|label_0|none|clean)$/i

interface LabelScore {
  label: string
  score: number
}

function readLabelScores(v: unknown): LabelScore[] {
  if (!Array.isArray(v) || v.length === 0)
    throw new MalformedReplyError('classifier', 'expected a non-empty list of {label, score}')
  return v.map((o: unknown) => {
    const rec = o as { label?: unknown; score?: unknown } | null
    if (
      typeof rec?.label !== 'string' ||
      typeof rec.score !== 'number' ||
      !Number.isFinite(rec.score)
    ) {
      throw new MalformedReplyError(
        'classifier',
        'an entry lacks a string `label` or a numeric `score`',
      )
    }
    return { label: rec.label, score: rec.score }
  })
}

/**
 * Reads a label-score response: TEI `/predict` returns `[[{label, score}...]...]` for a batch (and
 * `[{label, score}...]` for one input). Returns one list per input; a count mismatch is an error.
 */
export function parseClassifierResponse(body: unknown, inputs: number): LabelScore[][] {
  if (!Array.isArray(body)) throw new MalformedReplyError('classifier', 'response is not a list')
  const nested = body.length > 0 && body.every(Array.isArray)
  const lists = nested ? body.map(readLabelScores) : [readLabelScores(body)]
  if (lists.length !== inputs)
    throw new MalformedReplyError('classifier', `${lists.length} results for ${inputs} inputs`)
  return lists
}

/**
 * Turns label scores into a verdict. With a label map, labels mapped to a category count as toxic
 * (mapped to `none`/`safe` or unmapped: not toxic); without one, every label except the usual
 * "safe" names counts, under its own lowercased name. toxicity = the largest toxic-label score.
 */
export function verdictFromLabels(
  scores: readonly LabelScore[],
  threshold: number,
  labels?: Readonly<Record<string, string>>,
): ToxicityResult {
  const category = (label: string): string | null => {
    if (labels) {
      const c = labels[label] ?? labels[label.toLowerCase()]
      return c === undefined || /^(?:none|safe|)$/i.test(c) ? null : c
    }
    return SAFE_LABEL.test(label) ? null : label.toLowerCase()
  }
  let toxicity = 0
  const categories = new Set<string>()
  for (const { label, score } of scores) {
    const c = category(label)
    if (c === null) continue
    toxicity = Math.max(toxicity, score)
    if (score >= threshold) categories.add(c)
  }
  return { toxic: toxicity >= threshold, toxicity, categories: [...categories].sort() }
}

export interface ClassifierOptions extends EndpointOptions {
  /** Full URL, e.g. http://127.0.0.1:8080/predict. */
  url: string
  labels?: Readonly<Record<string, string>>
  threshold?: number
}

/** A text-classification endpoint (TEI `/predict`, or any endpoint answering label scores). */
export function classifierScorer(options: ClassifierOptions): ToxicityScorer {
  const threshold = options.threshold ?? 0.5
  return {
    name: 'classifier',
    async score(outputs, signal) {
      const results: ToxicityResult[] = []
      for (let i = 0; i < outputs.length; i += BATCH) {
        const inputs = outputs.slice(i, i + BATCH)
        const body = await postJson(options.url, { inputs, truncate: true }, options, signal)
        for (const s of parseClassifierResponse(body, inputs.length))
          results.push(verdictFromLabels(s, threshold, options.labels))
      }
      return results
    },
  }
}
