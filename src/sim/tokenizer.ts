import { fnv1a } from './hash.js'

/**
 * The simulator's own deterministic tokenizer. Text splits GPT-2 style into words and single
 * punctuation marks, each carrying at most one leading space, and runs of whitespace; a token's id is a
 * hash of its text, so ids are stable across processes and runs. Concatenating the token strings gives
 * the text back exactly.
 */
const PATTERN = / ?[\p{L}\p{N}_]+| ?[^\s\p{L}\p{N}_]|\s+(?!\S)|\s+/gu

/** Ids below this are reserved for special tokens. */
const FIRST_ID = 1000
const ID_SPACE = 2_000_000_000

const vocab = new Map<number, string>()

/** The id of one token string. */
export function tokenId(token: string): number {
  const id = FIRST_ID + (fnv1a(token) % ID_SPACE)
  if (!vocab.has(id)) vocab.set(id, token)
  return id
}

/** Splits text into token strings (their concatenation equals the text). */
export function splitTokens(text: string): string[] {
  return text.match(PATTERN) ?? []
}

/** Token ids of a text. */
export function encode(text: string): number[] {
  return splitTokens(text).map(tokenId)
}

/** The string of one id: known ids map back to their text, unknown ids render as `<|id|>`. */
export function tokenString(id: number): string {
  return vocab.get(id) ?? `<|${id}|>`
}

/** Text of a list of ids. */
export function decode(ids: readonly number[]): string {
  return ids.map(tokenString).join('')
}
