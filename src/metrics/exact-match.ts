import { pyCollapseSpaces } from './text/python-str.js'

/** Normalisations of exact match; `squad` turns on all four as SQuAD's `normalize_answer` does. */
export interface ExactMatchOptions {
  ignoreCase?: boolean
  ignorePunctuation?: boolean
  ignoreArticles?: boolean
  ignoreWhitespace?: boolean
}

export const SQUAD_NORMALIZATION: Required<ExactMatchOptions> = {
  ignoreCase: true,
  ignorePunctuation: true,
  ignoreArticles: true,
  ignoreWhitespace: true,
}

// Python's string.punctuation, which SQuAD's normalize_answer removes.
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g
// Python's `\b` is Unicode-aware: a word boundary between a word character (letter, digit, `_`) and a non-word one.
const ARTICLES = /(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu

/** Applies the chosen normalisations in SQuAD's order: lower, punctuation, articles, whitespace. */
export function normalizeAnswer(text: string, o: ExactMatchOptions): string {
  let s = text
  if (o.ignoreCase) s = s.toLowerCase()
  if (o.ignorePunctuation) s = s.replace(PUNCTUATION, '')
  if (o.ignoreArticles) s = s.replace(ARTICLES, ' ')
  if (o.ignoreWhitespace) s = pyCollapseSpaces(s)
  return s
}

/** True when the prediction equals any reference after normalisation. */
export function exactMatch(
  prediction: string,
  references: readonly string[],
  options: ExactMatchOptions = {},
): boolean {
  const p = normalizeAnswer(prediction, options)
  return references.some((r) => normalizeAnswer(r, options) === p)
}
