/**
 * Python `str` semantics the reference metrics rely on (metrics.md section 0): whitespace splitting,
 * code-point lengths and slicing.
 */

/** Characters for which Python's `str.isspace()` is true (differs from JS `\s`: no U+FEFF, adds U+001C-U+001F and U+0085). */
const PY_SPACE_CLASS =
  '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const PY_SPACE_RUN = new RegExp(`[${PY_SPACE_CLASS}]+`, 'g')
const SURROGATE = /[\uD800-\uDFFF]/

/** Python `str.isspace()` for one UTF-16 code unit (no whitespace character is astral). */
const SPACE_TABLE = (() => {
  const t = new Uint8Array(0x3001)
  for (const c of [0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]) t[c] = 1
  for (let c = 0x09; c <= 0x0d; c++) t[c] = 1
  for (let c = 0x1c; c <= 0x20; c++) t[c] = 1
  for (let c = 0x2000; c <= 0x200a; c++) t[c] = 1
  return t
})()

/** Whether a UTF-16 code unit is Python whitespace. */
export function isPySpace(code: number): boolean {
  return code <= 0x3000 && SPACE_TABLE[code] === 1
}

/** Python `s.split()` with no argument: split on runs of whitespace, no empty strings. */
export function pySplit(s: string): string[] {
  const out: string[] = []
  let start = -1
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c <= 0x3000 && SPACE_TABLE[c] === 1) {
      if (start !== -1) {
        out.push(s.slice(start, i))
        start = -1
      }
    } else if (start === -1) start = i
  }
  if (start !== -1) out.push(s.slice(start))
  return out
}

/** Python `s.rstrip()` with no argument. */
export function pyRstrip(s: string): string {
  let end = s.length
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--
  return end === s.length ? s : s.slice(0, end)
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
