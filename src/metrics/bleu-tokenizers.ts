import { codePoints, pyCollapseSpaces, pySplit } from './text/python-str.js'

/** sacreBLEU tokenizers we implement (the language-specific ones need MeCab or other models). */
export type BleuTokenizer = '13a' | 'intl' | 'none' | 'char'

export const BLEU_TOKENIZERS: readonly BleuTokenizer[] = ['13a', 'intl', 'none', 'char']

// sacrebleu/tokenizers/tokenizer_re.py: ASCII classes only (no \d), in this order.
const RE_13A: readonly [[RegExp, string], [RegExp, string], [RegExp, string], [RegExp, string]] = [
  [/([{-~[-` -&(-+:-@/])/g, ' $1 '],
  [/([^0-9])([.,])/g, '$1 $2 '],
  [/([.,])([^0-9])/g, ' $1 $2'],
  [/([0-9])(-)/g, '$1 $2 '],
]

// sacrebleu/tokenizers/tokenizer_intl.py (mteval-v14 international tokenization).
const RE_INTL: readonly [RegExp, string][] = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
]

/** The 13a rules up to, not including, the final whitespace collapse. */
function spaced13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ')
  if (s.includes('&')) {
    s = s
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
  }
  s = ` ${s} `
  const [symbols, beforePunct, afterPunct, dash] = RE_13A
  s = s.replace(symbols[0], symbols[1])
  // The other three rules can only fire on a period, comma or hyphen: skip the scans otherwise.
  if (s.includes('.') || s.includes(',')) {
    s = s.replace(beforePunct[0], beforePunct[1]).replace(afterPunct[0], afterPunct[1])
  }
  if (s.includes('-')) s = s.replace(dash[0], dash[1])
  return s
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
      return pyCollapseSpaces(spaced13a(line))
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
  return pySplit(tokenizer === '13a' ? spaced13a(line) : bleuTokenize(line, tokenizer))
}
