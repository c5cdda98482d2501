import { describe, expect, it } from 'vitest'
import { sseData } from '../../../src/providers/sse.js'

async function collect(chunks: string[]): Promise<string[]> {
  const enc = new TextEncoder()
  function* gen() {
    for (const c of chunks) yield enc.encode(c)
  }
  const out: string[] = []
  for await (const d of sseData(gen())) out.push(d)
  return out
}

describe('sseData', () => {
  it('yields data payloads across arbitrary chunk boundaries and stops at [DONE]', async () => {
    const text =
      'data: {"a":1}\n\n: keep-alive\n\ndata: {"b":2}\n\ndata: [DONE]\n\ndata: {"c":3}\n\n'
    const whole = await collect([text])
    expect(whole).toEqual(['{"a":1}', '{"b":2}'])
    for (let cut = 1; cut < text.length; cut++) {
      expect(await collect([text.slice(0, cut), text.slice(cut)])).toEqual(whole)
    }
  })

  it('accepts CRLF and CR line ends, joins multi-line data and ignores other fields', async () => {
    expect(
      await collect(['event: x\r\ndata: one\r\ndata: two\r\n\r\n', 'id: 3\rdata:three\r\r']),
    ).toEqual(['one\ntwo', 'three'])
  })

  it('splits a multi-byte character across chunks without damage', async () => {
    const bytes = new TextEncoder().encode('data: héllo 😀\n\n')
    function* gen() {
      for (const b of bytes) yield new Uint8Array([b])
    }
    const out: string[] = []
    for await (const d of sseData(gen())) out.push(d)
    expect(out).toEqual(['héllo 😀'])
  })

  it('flushes a last event that lacks its blank line', async () => {
    expect(await collect(['data: tail'])).toEqual(['tail'])
  })
})
