// Control characters, and the bidirectional overrides that can make echoed text read differently.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~]/g

/**
 * Makes untrusted text safe to echo in a comment: one line, at most `max` characters, Markdown
 * punctuation escaped, no HTML (so no hidden `<!-- -->` marker can be injected), and `@` followed by a
 * zero-width space so a mention never pings anyone.
 */
export function escapeUserText(text: string, max = 80): string {
  let clean = text.replace(/[\r\n\t]+/g, ' ').replace(INVISIBLE, '')
  if (clean.length > max) clean = `${Array.from(clean).slice(0, max).join('')}…`
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, (ch) => `\\${ch}`)
    .replace(/@/g, '@&#8203;')
}

/**
 * Untrusted text as an inline code span (no Markdown or HTML inside, so no escaping is shown). Text
 * that could end the span, open HTML or mention someone is shown as escaped plain text instead.
 */
export function codeSpan(text: string, max = 80): string {
  let clean = text.replace(/[\r\n\t]+/g, ' ').replace(INVISIBLE, '')
  if (clean.length > max) clean = `${Array.from(clean).slice(0, max).join('')}…`
  if (/[`<>@&]/.test(clean) || clean.trim() === '') return escapeUserText(clean, max + 1)
  return `\`${clean}\``
}
