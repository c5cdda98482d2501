import { MASKABLE } from './terms.js'

const SPACED_RUN =
  /(?<![\p{L}\p{N}])(?:[\p{L}\p{N}@$](?:[ .\-_·,*/|]{1,3})){2,}[\p{L}\p{N}@$](?![\p{L}\p{N}])/gu
const SEPARATORS = /[ .\-_·,*/|]+/g

/**
 * Joins runs of three or more single characters separated by spaces or punctuation (`f.u.c.k`,
 * `s h i t`, `f-u-c-k`) into one word, so the word matcher sees them. Texts written normally are unchanged.
 */
export function collapseSpacedLetters(text: string): string {
  return text.replace(SPACED_RUN, (run) => run.replace(SEPARATORS, ''))
}

const MASKED_TOKEN =
  /(?<![\p{L}\p{N}*#%@$])[\p{L}@$][\p{L}*#%@$]*[*#%][\p{L}*#%@$]*(?![\p{L}\p{N}*#%@$])/gu
const MASK = new Set(['*', '#', '%'])
const LEET: Readonly<Record<string, string>> = { '@': 'a', $: 's' }

/**
 * Words written with masking characters (`sh*t`, `f**k`, `b*tch`, `a**hole`): the listed word whose
 * every visible letter agrees, when at least two letters are visible and masks do not outnumber them.
 * Returns the canonical terms found (keys of the library data set).
 */
export function maskedTerms(text: string): string[] {
  const found: string[] = []
  for (const match of text.matchAll(MASKED_TOKEN)) {
    const token = Array.from(match[0].toLowerCase(), (c) => LEET[c] ?? c)
    const masks = token.filter((c) => MASK.has(c)).length
    const letters = token.length - masks
    if (letters < 2 || masks > letters) continue
    for (const [word, canonical] of Object.entries(MASKABLE)) {
      if (word.length !== token.length) continue
      if (token.every((c, i) => MASK.has(c) || c === word[i])) {
        found.push(canonical)
        break
      }
    }
  }
  return found
}
