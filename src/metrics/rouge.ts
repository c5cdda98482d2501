import { porterStem } from './porter-stemmer.js'

/** Precision, recall and F1 of one ROUGE type (0-1), as rouge_score's `Score`. */
export interface RougeScore {
  precision: number
  recall: number
  fmeasure: number
}

/** `rouge1`..`rouge9`, `rougeL`, `rougeLsum`. */
export type RougeType = `rouge${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}` | 'rougeL' | 'rougeLsum'

export const ROUGE_TYPES: readonly RougeType[] = [
  'rouge1',
  'rouge2',
  'rouge3',
  'rouge4',
  'rouge5',
  'rouge6',
  'rouge7',
  'rouge8',
  'rouge9',
  'rougeL',
  'rougeLsum',
]

export interface RougeOptions {
  useStemmer?: boolean
}

const NON_ALNUM = /[^a-z0-9]+/g
const SPACES = /\s+/
const VALID = /^[a-z0-9]+$/

/** rouge_score's default tokenizer: lowercase, non-[a-z0-9] runs to spaces, stem tokens longer than 3. */
export function rougeTokenize(text: string, useStemmer = false): string[] {
  // Python's `\s` (str patterns) and JS `\s` differ only on characters the previous step already
  // replaced, so splitting with the JS class is exact here.
  const tokens = text.toLowerCase().replace(NON_ALNUM, ' ').split(SPACES)
  const out: string[] = []
  for (const t of tokens) {
    const s = useStemmer && t.length > 3 ? porterStem(t) : t
    if (VALID.test(s)) out.push(s)
  }
  return out
}

function fmeasure(p: number, r: number): number {
  return p + r > 0 ? (2 * p * r) / (p + r) : 0
}

const ZERO: RougeScore = { precision: 0, recall: 0, fmeasure: 0 }

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>()
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = n === 1 ? (tokens[i] ?? '') : tokens.slice(i, i + n).join(' ')
    m.set(key, (m.get(key) ?? 0) + 1)
  }
  return m
}

/** ROUGE-N from token lists. */
export function rougeN(
  target: readonly string[],
  prediction: readonly string[],
  n: number,
): RougeScore {
  const t = ngrams(target, n)
  const p = ngrams(prediction, n)
  let overlap = 0
  let tCount = 0
  let pCount = 0
  for (const [k, c] of t) {
    overlap += Math.min(c, p.get(k) ?? 0)
    tCount += c
  }
  for (const c of p.values()) pCount += c
  const precision = overlap / Math.max(pCount, 1)
  const recall = overlap / Math.max(tCount, 1)
  return { precision, recall, fmeasure: fmeasure(precision, recall) }
}

/** The LCS dynamic-programming table, flattened row-major ((rows+1) x (cols+1)). */
function lcsTable(ref: readonly string[], can: readonly string[]): Int32Array {
  const cols = can.length + 1
  const t = new Int32Array((ref.length + 1) * cols)
  for (let i = 1; i <= ref.length; i++) {
    const r = ref[i - 1]
    const row = i * cols
    const prev = row - cols
    for (let j = 1; j <= can.length; j++) {
      if (r === can[j - 1]) t[row + j] = (t[prev + j - 1] ?? 0) + 1
      else {
        const up = t[prev + j] ?? 0
        const left = t[row + j - 1] ?? 0
        t[row + j] = up > left ? up : left
      }
    }
  }
  return t
}

/** Length of the longest common subsequence. */
export function lcsLength(ref: readonly string[], can: readonly string[]): number {
  return lcsTable(ref, can)[(ref.length + 1) * (can.length + 1) - 1] ?? 0
}

/** Indices into `ref` of one LCS, found by rouge_score's non-recursive backtrack. */
export function lcsIndices(ref: readonly string[], can: readonly string[]): number[] {
  const t = lcsTable(ref, can)
  const cols = can.length + 1
  let i = ref.length
  let j = can.length
  const out: number[] = []
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      out.push(i - 1)
      i--
      j--
    } else if ((t[i * cols + j - 1] ?? 0) > (t[(i - 1) * cols + j] ?? 0)) j--
    else i--
  }
  return out.reverse()
}

/** ROUGE-L from token lists. */
export function rougeL(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return ZERO
  const lcs = lcsLength(target, prediction)
  const precision = lcs / prediction.length
  const recall = lcs / target.length
  return { precision, recall, fmeasure: fmeasure(precision, recall) }
}

/** Sorted union of the LCS index sets of `ref` against each candidate sentence. */
export function unionLcsIndices(
  ref: readonly string[],
  candidates: readonly (readonly string[])[],
): number[] {
  const set = new Set<number>()
  for (const c of candidates) for (const i of lcsIndices(ref, c)) set.add(i)
  return [...set].sort((a, b) => a - b)
}

/** Summary-level LCS (ROUGE-Lsum) over tokenized sentences. */
export function summaryLevelLcs(
  refSents: readonly (readonly string[])[],
  canSents: readonly (readonly string[])[],
): RougeScore {
  if (refSents.length === 0 || canSents.length === 0) return ZERO
  let m = 0
  let n = 0
  for (const s of refSents) m += s.length
  for (const s of canSents) n += s.length
  if (n === 0 || m === 0) return ZERO
  const cntR = new Map<string, number>()
  const cntC = new Map<string, number>()
  for (const s of refSents) for (const t of s) cntR.set(t, (cntR.get(t) ?? 0) + 1)
  for (const s of canSents) for (const t of s) cntC.set(t, (cntC.get(t) ?? 0) + 1)
  let hits = 0
  for (const r of refSents) {
    for (const i of unionLcsIndices(r, canSents)) {
      const t = r[i] ?? ''
      const c = cntC.get(t) ?? 0
      const rr = cntR.get(t) ?? 0
      if (c > 0 && rr > 0) {
        hits++
        cntC.set(t, c - 1)
        cntR.set(t, rr - 1)
      }
    }
  }
  const recall = hits / m
  const precision = hits / n
  return { precision, recall, fmeasure: fmeasure(precision, recall) }
}

function sentences(text: string, useStemmer: boolean): string[][] {
  return text
    .split('\n')
    .filter((s) => s.length > 0)
    .map((s) => rougeTokenize(s, useStemmer))
}

/** `RougeScorer([type], use_stemmer).score(target, prediction)[type]`. */
export function rougeScore(
  type: RougeType,
  target: string,
  prediction: string,
  options: RougeOptions = {},
): RougeScore {
  const stem = options.useStemmer ?? false
  if (type === 'rougeLsum')
    return summaryLevelLcs(sentences(target, stem), sentences(prediction, stem))
  const t = rougeTokenize(target, stem)
  const p = rougeTokenize(prediction, stem)
  if (type === 'rougeL') return rougeL(t, p)
  return rougeN(t, p, Number(type.slice(5)))
}

/** `score_multi`: per type, the target with the highest F (the first wins ties). Several types share tokenization. */
export function rougeScoreMulti(
  types: readonly RougeType[],
  targets: readonly string[],
  prediction: string,
  options: RougeOptions = {},
): Record<string, RougeScore> {
  const stem = options.useStemmer ?? false
  const predTokens = types.some((t) => t !== 'rougeLsum') ? rougeTokenize(prediction, stem) : []
  const predSents = types.includes('rougeLsum') ? sentences(prediction, stem) : []
  const best: Record<string, RougeScore> = {}
  for (const target of targets) {
    const tTokens = types.some((t) => t !== 'rougeLsum') ? rougeTokenize(target, stem) : []
    const tSents = types.includes('rougeLsum') ? sentences(target, stem) : []
    for (const type of types) {
      const s =
        type === 'rougeLsum'
          ? summaryLevelLcs(tSents, predSents)
          : type === 'rougeL'
            ? rougeL(tTokens, predTokens)
            : rougeN(tTokens, predTokens, Number(type.slice(5)))
      const cur = best[type]
      if (cur === undefined || s.fmeasure > cur.fmeasure) best[type] = s
    }
  }
  return best
}
