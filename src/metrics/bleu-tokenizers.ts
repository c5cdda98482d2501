import { codePoints, isPySpace, pyCollapseSpaces, pySplit } from './text/python-str.js'

/** sacreBLEU tokenizers we implement (the language-specific ones need MeCab or other models). */
export type BleuTokenizer = '13a' | 'intl' | 'none' | 'char'

export const BLEU_TOKENIZERS: readonly BleuTokenizer[] = ['13a', 'intl', 'none', 'char']

// sacrebleu/tokenizers/tokenizer_re.py, in this order, with ASCII classes only (no \d):
//   ([{-~[-` -&(-+:-@/]) -> ' $1 '   ([^0-9])([.,]) -> '$1 $2 '
//   ([.,])([^0-9]) -> ' $1 $2'        ([0-9])(-) -> '$1 $2 '
// Each rule is a global regex replace: a left-to-right scan in which a match consumes both of its
// characters. They run below as the same scans over UTF-16 code units in reused typed arrays, so a
// line allocates no intermediate strings. Code units give the same result as Python's code points
// because every class involved is ASCII and no surrogate half is ASCII.

// sacrebleu/tokenizers/tokenizer_intl.py (mteval-v14 international tokenization).
const RE_INTL: readonly [RegExp, string][] = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
]

// The code units of that first class: ASCII punctuation and space, except ' , - .
const SYMBOL_13A = (() => {
  const t = new Uint8Array(128)
  for (const [lo, hi] of [
    [0x7b, 0x7e],
    [0x5b, 0x60],
    [0x20, 0x26],
    [0x28, 0x2b],
    [0x3a, 0x40],
    [0x2f, 0x2f],
  ] as const)
    for (let c = lo; c <= hi; c++) t[c] = 1
  return t
})()

const SPACE = 0x20
const PERIOD = 0x2e
const COMMA = 0x2c
const HYPHEN = 0x2d
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isPeriodOrComma = (c: number): boolean => c === PERIOD || c === COMMA

/** The 13a clean-up before the rules: `<skipped>`, line breaks and four HTML entities, in upstream order. */
function unescape13a(line: string): string {
  let s = line
  if (s.includes('<skipped>')) s = s.replaceAll('<skipped>', '')
  if (s.includes('\n')) s = s.replaceAll('-\n', '').replaceAll('\n', ' ')
  if (!s.includes('&')) return s
  return s
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
}

/** A 13a-tokenized line: code units in `buf[0..length)`, tokens separated by Python whitespace. */
export interface Spaced13a {
  buf: Uint16Array
  length: number
}

let front = new Uint16Array(1024)
let back = new Uint16Array(1024)

function backWithRoom(n: number): Uint16Array {
  if (back.length < n) back = new Uint16Array(n * 2)
  return back
}

function swap(): void {
  const t = front
  front = back
  back = t
}

/**
 * `([^0-9])([.,]) -> '$1 $2 '` (`lead` false) or `([.,])([^0-9]) -> ' $1 $2'` (`lead` true) from
 * `front[0..n)` into `back`; returns the new length.
 */
function periodCommaRule(n: number, lead: boolean): number {
  const src = front
  const dst = backWithRoom(2 * n)
  let o = 0
  let i = 0
  while (i < n) {
    const a = src[i] as number
    if (i + 1 < n) {
      const b = src[i + 1] as number
      if (lead ? isPeriodOrComma(a) && !isDigit(b) : !isDigit(a) && isPeriodOrComma(b)) {
        if (lead) dst[o++] = SPACE
        dst[o++] = a
        dst[o++] = SPACE
        dst[o++] = b
        if (!lead) dst[o++] = SPACE
        i += 2
        continue
      }
    }
    dst[o++] = a
    i++
  }
  return o
}

/** `([0-9])(-) -> '$1 $2 '` from `front[0..n)` into `back`; returns the new length. */
function digitHyphenRule(n: number): number {
  const src = front
  const dst = backWithRoom(2 * n)
  let o = 0
  let i = 0
  while (i < n) {
    const a = src[i] as number
    if (i + 1 < n && isDigit(a) && src[i + 1] === HYPHEN) {
      dst[o++] = a
      dst[o++] = SPACE
      dst[o++] = HYPHEN
      dst[o++] = SPACE
      i += 2
      continue
    }
    dst[o++] = a
    i++
  }
  return o
}

/**
 * The 13a tokenizer on an already right-stripped (and optionally lower-cased) line, up to, not
 * including, the final whitespace collapse. The result lives in a buffer the next call reuses.
 */
export function spaced13a(line: string): Spaced13a {
  const s = unescape13a(line)
  const len = s.length
  // Padding plus the first rule, fused into the copy from the string.
  const dst = backWithRoom(3 * len + 2)
  let o = 0
  let periodComma = false
  let hyphen = false
  dst[o++] = SPACE
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i)
    if (c < 128) {
      if (SYMBOL_13A[c] === 1) {
        dst[o++] = SPACE
        dst[o++] = c
        dst[o++] = SPACE
        continue
      }
      if (c === PERIOD || c === COMMA) periodComma = true
      else if (c === HYPHEN) hyphen = true
    }
    dst[o++] = c
  }
  dst[o++] = SPACE
  swap()
  // The other three rules can only fire on a period, comma or hyphen: skip the scans otherwise.
  if (periodComma) {
    o = periodCommaRule(o, false)
    swap()
    o = periodCommaRule(o, true)
    swap()
  }
  if (hyphen) {
    o = digitHyphenRule(o)
    swap()
  }
  return { buf: front, length: o }
}

/** The string of `buf[start..end)`, in chunks small enough to pass as arguments. */
export function unitsToString(buf: Uint16Array, start: number, end: number): string {
  let out = ''
  for (let i = start; i < end; i += 4096)
    out += String.fromCharCode(...buf.subarray(i, Math.min(end, i + 4096)))
  return out
}

/** Python `line.split()` over a spaced buffer. */
function splitSpaced(spaced: Spaced13a): string[] {
  const { buf, length } = spaced
  const out: string[] = []
  let start = -1
  for (let i = 0; i <= length; i++) {
    if (i === length || isPySpace(buf[i] as number)) {
      if (start !== -1) out.push(unitsToString(buf, start, i))
      start = -1
    } else if (start === -1) start = i
  }
  return out
}

function tokenizeIntl(line: string): string {
  let s = line
  for (const [re, repl] of RE_INTL) s = s.replace(re, repl)
  return pyCollapseSpaces(s)
}

/** Applies one sacreBLEU tokenizer to an already right-stripped (and optionally lower-cased) line. */
export function bleuTokenize(line: string, tokenizer: BleuTokenizer): string {
  switch (tokenizer) {
    case '13a':
      return splitSpaced(spaced13a(line)).join(' ')
    case 'intl':
      return tokenizeIntl(line)
    case 'char':
      return codePoints(line).join(' ')
    case 'none':
      return line
  }
}

/** The tokens of `bleuTokenize(line, tokenizer)`, split on whitespace without building the joined line. */
export function bleuTokens(line: string, tokenizer: BleuTokenizer): string[] {
  return tokenizer === '13a' ? splitSpaced(spaced13a(line)) : pySplit(bleuTokenize(line, tokenizer))
}
