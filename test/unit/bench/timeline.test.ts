import { describe, expect, it } from 'vitest'
import { classifyEvent, splitEvents } from '../../../src/bench/timeline.js'

const b = (s: string) => Buffer.from(s, 'utf8')

describe('splitEvents', () => {
  it('stamps each event with the arrival of the chunk holding its first byte', () => {
    const raw = {
      chunks: [b('data: a\n\nda'), b('ta: b\n'), b('\ndata: c\n\n')],
      times: [10, 20, 30],
    }
    expect(splitEvents(raw)).toEqual([
      { t: 10, block: 'data: a', complete: true },
      { t: 10, block: 'data: b', complete: true },
      { t: 30, block: 'data: c', complete: true },
    ])
  })

  it('handles CRLF framing, multibyte text split across chunks, and a trailing partial event', () => {
    const bytes = b('data: {"x":"é"}\r\n\r\ndata: {"y"')
    const raw = { chunks: [bytes.subarray(0, 14), bytes.subarray(14)], times: [1, 2] }
    expect(splitEvents(raw)).toEqual([
      { t: 1, block: 'data: {"x":"é"}', complete: true },
      { t: 2, block: 'data: {"y"', complete: false },
    ])
  })
})

describe('classifyEvent', () => {
  const chat = (delta: object, extra: object = {}) =>
    `data: ${JSON.stringify({ choices: [{ index: 0, delta }], ...extra })}`
  it.each([
    [chat({ role: 'assistant', content: '' }), 'role', false],
    [chat({ content: 'hi' }), 'token', true],
    [chat({ reasoning_content: 'hmm' }), 'token', false],
    [chat({ reasoning: 'hmm' }), 'token', false],
    [chat({ tool_calls: [{ index: 0 }] }), 'token', false],
    [chat({ content: '' }), 'empty', false],
    [`data: ${JSON.stringify({ choices: [{ text: 'x' }] })}`, 'token', true],
    [`data: ${JSON.stringify({ choices: [], usage: { completion_tokens: 5 } })}`, 'usage', false],
    ['data: [DONE]', 'done', false],
    ['data: {"choices": [', 'malformed', false],
    [': ping', 'comment', false],
    [`data: ${JSON.stringify({ error: { message: 'boom' } })}`, 'error', false],
  ])('%s is %s', (block, kind, content) => {
    const e = classifyEvent(0, block)
    expect(e.kind).toBe(kind)
    expect(e.content).toBe(content)
  })

  it('reads cumulative usage and the embedded send time', () => {
    const e = classifyEvent(
      5,
      `data: {"sim_sent_ns":"4000000","choices":[{"delta":{"content":"a"}}],"usage":{"prompt_tokens":3,"completion_tokens":2}}`,
    )
    expect(e).toMatchObject({ t: 5, cumulative: 2, promptTokens: 3, sent: 4 })
  })
})
