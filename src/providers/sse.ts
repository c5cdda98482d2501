/**
 * Yields the `data` payload of each Server-Sent Event in a byte stream (WHATWG event-stream rules:
 * lines end in LF, CRLF or CR; an empty line ends an event; several `data:` lines join with LF;
 * comments and other fields are ignored). Stops at the OpenAI end marker `[DONE]`.
 */
export async function* sseData(
  stream: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  let buffer = ''
  let data: string[] = []
  const flushLine = (line: string): string | undefined => {
    if (line === '') {
      if (data.length === 0) return undefined
      const payload = data.join('\n')
      data = []
      return payload
    }
    if (line.startsWith(':')) return undefined
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    if (field !== 'data') return undefined
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    data.push(value)
    return undefined
  }
  for await (const chunk of stream) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    let match: RegExpExecArray | null
    const eol = /\r\n|\r|\n/g
    let start = 0
    while ((match = eol.exec(buffer)) !== null) {
      // A CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (match[0] === '\r' && match.index === buffer.length - 1) break
      const payload = flushLine(buffer.slice(start, match.index))
      start = match.index + match[0].length
      if (payload !== undefined) {
        if (payload === '[DONE]') return
        yield payload
      }
    }
    buffer = buffer.slice(start)
  }
  buffer += decoder.decode()
  if (buffer !== '') flushLine(buffer)
  const last = flushLine('')
  if (last !== undefined && last !== '[DONE]') yield last
}
