import { describe, expect, it } from 'vitest'
import { chunkJson, parseSseData, SSE_DONE, sseEvent } from '../../../src/sim/sse.js'

describe('sim SSE framing', () => {
  it('frames one data event per chunk', () => {
    expect(sseEvent('{"a":1}')).toBe('data: {"a":1}\n\n')
    expect(SSE_DONE).toBe('data: [DONE]\n\n')
  })

  it('embeds the monotonic send time as the first field', () => {
    const before = process.hrtime.bigint()
    const json = chunkJson({ id: 'x', choices: [] }, true)
    const parsed = JSON.parse(json) as { sim_sent_ns: string; id: string }
    expect(parsed.id).toBe('x')
    expect(BigInt(parsed.sim_sent_ns) >= before).toBe(true)
    expect(chunkJson({ id: 'x' }, false)).toBe('{"id":"x"}')
  })

  it('parses data payloads and skips comments', () => {
    expect(parseSseData(': ping\n\ndata: {"a":1}\n\ndata: [DONE]\n\n')).toEqual([
      '{"a":1}',
      '[DONE]',
    ])
    expect(parseSseData('data: line1\r\ndata: line2\r\n\r\n')).toEqual(['line1\nline2'])
  })
})
