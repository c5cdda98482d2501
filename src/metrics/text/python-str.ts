/**
 * Python `str` semantics the reference metrics rely on (metrics.md section 0): whitespace splitting,
 * code-point lengths and slicing.
 */

/** Characters for which Python's `str.isspace()` is true (differs from JS `\s`: no U+FEFF, adds U+001C-U+001F and U+0085). */
const PY_SPACE_CLASS =
  '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const PY_SPACE_RUN = new RegExp(`[${PY_SPACE_CLASS}]+`, 'g')
const PY_SPACE_EDGES = new RegExp(`^[${PY_SPACE_CLASS}]+|[${PY_SPACE_CLASS}]+$`, 'g')
const PY_SPACE_TRAILING = new RegExp(`[${PY_SPACE_CLASS}]+$`)
const SURROGATE = /[\uD800-\uDFFF]/

/** Python `s.split()` with no argument: split on runs of whitespace, no empty strings. */
export function pySplit(s: string): string[] {
  const trimmed = s.replace(PY_SPACE_EDGES, '')
  return trimmed === '' ? [] : trimmed.split(PY_SPACE_RUN)
}

/** Python `s.rstrip()` with no argument. */
export function pyRstrip(s: string): string {
  return s.replace(PY_SPACE_TRAILING, '')
}

/** Python `' '.join(s.split())`. */
export function pyCollapseSpaces(s: string): string {
  return pySplit(s).join(' ')
}

/** Python `''.join(s.split())`: every whitespace character removed. */
export function pyRemoveSpaces(s: string): string {
  return s.replace(PY_SPACE_RUN, '')
}

/** The string as an array of code points (Python's unit for `len` and slicing). */
export function codePoints(s: string): string[] {
  return SURROGATE.test(s) ? Array.from(s) : s.split('')
}

/** Python `len(s)`: the number of code points. */
export function pyLen(s: string): number {
  if (!SURROGATE.test(s)) return s.length
  let n = 0
  for (const _ of s) n++
  return n
}

const PY_SPACE_SPLIT = new RegExp(`[${PY_SPACE_CLASS}]+`)

/** Python `re.split(r"\s+", s)`: keeps the empty strings at the ends. */
export function pyReSplitSpaces(s: string): string[] {
  return s.split(PY_SPACE_SPLIT)
}
