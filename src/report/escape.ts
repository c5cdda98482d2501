/**
 * Escaping of text a model or a dataset wrote before it enters Markdown. Nothing such text contains
 * may ping (@mentions), render HTML or images, open an HTML comment (the sticky marker), break a
 * table (| and newlines), reorder the line (bidi controls), or leave a split surrogate pair.
 */

const ZWJ = '\u200d'
// C0/C1 controls except tab and newline, and the bidi embedding/override/isolate characters.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const MENTION = /@(?=[A-Za-z0-9])/g

/** Replaces lone surrogates with U+FFFD and drops control and bidi characters. */
export function sanitize(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(CONTROLS, '')
}

/**
 * Text safe inside a Markdown paragraph or table cell: HTML characters become entities, Markdown
 * punctuation is backslash-escaped (no links, images, emphasis, tables), @mentions get a zero-width
 * joiner after the @, and newlines become ' ⏎ '. Truncates to `max` code points with an ellipsis.
 */
export function escapeInline(text: string, max = Infinity): string {
  const clean = sanitize(truncate(text, max))
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]{}()#+!|~^$]/g, (c) => `\\${c}`)
    .replace(/\r\n?|\n/g, ' ⏎ ')
    .replace(/\t/g, ' ')
    .replace(MENTION, `@${ZWJ}`)
}

/**
 * A fenced code block holding untrusted text: the fence is longer than any backtick run inside, so
 * nothing can close it early; inside a fence Markdown and HTML are inert, but the HTML-comment
 * delimiters are still broken up so no one can forge the marker a sticky-comment search looks for.
 */
export function codeBlock(text: string, max = Infinity): string {
  const clean = sanitize(truncate(text, max))
    .replace(/<!--/g, `<!-${ZWJ}-`)
    .replace(/-->/g, `-${ZWJ}->`)
    .replace(MENTION, `@${ZWJ}`)
  const longest = Math.max(2, ...Array.from(clean.matchAll(/`+/g), (m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}text\n${clean.replace(/\r\n?/g, '\n')}\n${fence}`
}

/** Cuts to at most `max` code points (never inside a surrogate pair), marking the cut with '…'. O(max). */
export function truncate(text: string, max: number): string {
  if (!Number.isFinite(max) || text.length <= max) return text
  let i = 0
  let count = 0
  while (i < text.length && count < max) {
    const c = text.charCodeAt(i)
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1
    count++
  }
  if (i >= text.length) return text
  // Step back one code point to make room for the ellipsis.
  const prev = text.charCodeAt(i - 1)
  const back = prev >= 0xdc00 && prev <= 0xdfff && i >= 2 ? 2 : 1
  return `${text.slice(0, i - back)}…`
}

/** A label for Mermaid: only letters, digits and a few safe separators, at most `max` characters. */
export function mermaidLabel(text: string, max = 24): string {
  const safe = sanitize(text).replace(/[^A-Za-z0-9 _./-]/g, '_')
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe
}
