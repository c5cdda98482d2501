import { describe, expect, it } from 'vitest'
import { splitEvents } from '../../../src/bench/timeline.js'
import { ChunkLog } from '../../../src/bench/transport.js'

describe('ChunkLog', () => {
  it('gives back every chunk as it arrived, with its time, across buffer growth', () => {
    const log = new ChunkLog()
    const sent: Buffer[] = []
    for (let i = 0; i < 300; i++) {
      const chunk = Buffer.from(`data: {"i":${i},"pad":"${'x'.repeat(i % 37)}"}\n\n`)
      sent.push(chunk)
      log.push(chunk, 1000 + i)
      // The caller may reuse its buffer: the log keeps a copy.
      chunk.fill(0x20)
    }
    expect(log.times).toHaveLength(300)
    expect(log.times[299]).toBe(1299)
    const chunks = log.chunks
    expect(chunks).toHaveLength(300)
    expect(chunks[7]!.toString()).toBe(`data: {"i":7,"pad":"${'x'.repeat(7)}"}\n\n`)
    expect(chunks[299]!.toString()).toBe(`data: {"i":299,"pad":"${'x'.repeat(299 % 37)}"}\n\n`)
    // The same views on every read.
    expect(log.chunks).toBe(chunks)
  })

  it('is what the SSE splitter reads', () => {
    const log = new ChunkLog()
    log.push(Buffer.from('data: {"a":1}\n\ndata: {"b"'), 5)
    log.push(Buffer.from(':2}\n\n'), 9)
    expect(splitEvents(log).map((e) => [e.t, e.block, e.complete])).toEqual([
      [5, 'data: {"a":1}', true],
      [5, 'data: {"b":2}', true],
    ])
  })
})
