/**
 * Cuts `text` to at most `maxChars` UTF-16 code units and `maxBytes` UTF-8 bytes, never inside a
 * surrogate pair, closing an open code fence and `<details>` blocks, and ending with a note.
 * Text within both limits is returned unchanged.
 */
export function fitText(
  text: string,
  maxChars: number,
  maxBytes = Number.POSITIVE_INFINITY,
): string {
  if (text.length <= maxChars && Buffer.byteLength(text) <= maxBytes) return text
  const note =
    '\n\n_… truncated to fit GitHub’s size limit; the full report is in the job summary and artifacts._'
  // Closing tags may be appended: reserve room for a fence and a few </details>.
  const reserve = note.length + 64
  let cut = Math.max(0, Math.min(text.length, maxChars - reserve))
  while (cut > 0 && Buffer.byteLength(text.slice(0, cut)) > maxBytes - reserve * 3)
    cut = Math.floor(cut * 0.95)
  const code = text.charCodeAt(cut - 1)
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1
  let head = text.slice(0, cut)
  const lastNewline = head.lastIndexOf('\n')
  if (lastNewline > cut * 0.8) head = head.slice(0, lastNewline)
  let closing = ''
  if ((head.match(/^ {0,3}(```|~~~)/gm)?.length ?? 0) % 2 === 1) closing += '\n```'
  const open =
    (head.match(/<details[\s>]/g)?.length ?? 0) - (head.match(/<\/details>/g)?.length ?? 0)
  for (let i = 0; i < Math.min(Math.max(open, 0), 3); i++) closing += '\n</details>'
  return head + closing + note
}
