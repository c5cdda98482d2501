import { codePoints, isPySpace, pyCollapseSpaces, pySplit } from './text/python-str.js'

/** sacreBLEU tokenizers we implement (the language-specific ones need MeCab or other models). */
export type BleuTokenizer = '13a' | 'intl' | 'none' | 'char'

export const BLEU_TOKENIZERS: readonly BleuTokenizer[] = ['13a', 'intl', 'none', 'char']

// sacrebleu/tokenizers/tokenizer_re.py, in this order, with ASCII classes only (no \d):
//   ([{-~[-` -&(-+:-@/]) -> ' $1 '   ([^0-9])([.,]) -> '$1 $2 '
//   ([.,])([^0-9]) -> ' $1 $2'        ([0-9])(-) -> '$1 $2 '
// applied below as single passes over code units, which is what the global regexes do.

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

/** The first 13a rule, `s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ')`, in one pass without the regex engine. */
function padSymbols13a(s: string): string {
  let out = ''
  let from = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 128 && SYMBOL_13A[c] === 1) {
      out += s.slice(from, i) + ' ' + s[i] + ' '
      from = i + 1
    }
  }
  return from === 0 ? s : out + s.slice(from)
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isPeriodOrComma = (c: number): boolean => c === 0x2e || c === 0x2c

/**
 * A global two-character rule `s.replace(/(A)(B)/g, ...)` in one pass: left to right, a match
 * consumes both characters. `leading` gives `' $1 $2'`, else `'$1 $2 '`.
 */
function spacePairs(
  s: string,
  first: (c: number) => boolean,
  second: (c: number) => boolean,
  leading: boolean,
): string {
  let out = ''
  let from = 0
  for (let i = 0; i + 1 < s.length; i++) {
    if (first(s.charCodeAt(i)) && second(s.charCodeAt(i + 1))) {
      const a = s[i] as string
      const b = s[i + 1] as string
      out += s.slice(from, i) + (leading ? ' ' + a + ' ' + b : a + ' ' + b + ' ')
      from = i + 2
      i++
    }
  }
  return from === 0 ? s : out + s.slice(from)
}

/** The 13a clean-up before the rules: `<skipped>`, line breaks and four HTML entities. */
function unescape13a(line: string): string {
  const s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ')
  if (!s.includes('&')) return s
  return s
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
}

/** The 13a rules on a cleaned line, up to, not including, the final whitespace collapse. */
function spaced13a(cleaned: string): string {
  let s = padSymbols13a(` ${cleaned} `)
  // The other three rules can only fire on a period, comma or hyphen: skip the scans otherwise.
  if (s.includes('.') || s.includes(',')) {
    s = spacePairs(s, (c) => !isDigit(c), isPeriodOrComma, false)
    s = spacePairs(s, isPeriodOrComma, (c) => !isDigit(c), true)
  }
  if (s.includes('-')) s = spacePairs(s, isDigit, (c) => c === 0x2d, false)
  return s
}

/** 13a tokens of a cleaned line without a period, comma or hyphen: only the first rule applies. */
function symbolTokens13a(s: string): string[] {
  const out: string[] = []
  let start = -1
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const symbol = c < 128 && SYMBOL_13A[c] === 1
    if (symbol || isPySpace(c)) {
      if (start !== -1) out.push(s.slice(start, i))
      start = -1
      if (symbol && c !== 0x20) out.push(s[i] as string)
    } else if (start === -1) start = i
  }
  if (start !== -1) out.push(s.slice(start))
  return out
}

function tokens13a(line: string): string[] {
  const s = unescape13a(line)
  if (s.includes('.') || s.includes(',') || s.includes('-')) return pySplit(spaced13a(s))
  return symbolTokens13a(s)
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
      return pyCollapseSpaces(spaced13a(unescape13a(line)))
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
  return tokenizer === '13a' ? tokens13a(line) : pySplit(bleuTokenize(line, tokenizer))
}
