import { describe, expect, it } from 'vitest'
import {
  ChatStreamAssembler,
  CompletionStreamAssembler,
  parseChatBody,
  parseCompletionBody,
} from '../../../src/providers/response-parse.js'

describe('response parsing', () => {
  it('reads a chat body with logprobs and usage', () => {
    const body = {
      choices: [
        {
          message: { content: 'Paris' },
          finish_reason: 'stop',
          logprobs: {
            content: [
              { token: 'Paris', logprob: -0.1, top_logprobs: [{ token: 'Paris', logprob: -0.1 }] },
            ],
          },
        },
        { message: { content: 'Lyon' } },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6, extra: 'x' },
    }
    expect(parseChatBody(body, 'u')).toEqual({
      text: 'Paris',
      texts: ['Paris', 'Lyon'],
      finish_reason: 'stop',
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
      logprobs: [{ token: 'Paris', logprob: -0.1, top: [{ token: 'Paris', logprob: -0.1 }] }],
    })
  })

  it('rejects a chat body without choices as bad_response', () => {
    expect(() => parseChatBody({ error: 'x' }, 'http://h/v1/chat/completions')).toThrow(
      expect.objectContaining({ kind: 'bad_response' }),
    )
  })

  it('sorts completion choices by index and keeps null logprobs', () => {
    const body = {
      choices: [
        {
          index: 1,
          text: 'b',
          logprobs: {
            tokens: ['b'],
            token_logprobs: [null],
            top_logprobs: [null],
            text_offset: [0],
          },
        },
        { index: 0, text: 'a', logprobs: null, finish_reason: 'length' },
      ],
    }
    const parsed = parseCompletionBody(body, 'u')
    expect(parsed.choices.map((c) => c.text)).toEqual(['a', 'b'])
    expect(parsed.choices[1]!.logprobs).toEqual({
      tokens: ['b'],
      token_logprobs: [null],
      top_logprobs: [null],
      text_offset: [0],
    })
  })

  it('assembles streamed chat and completion chunks', () => {
    const chat = new ChatStreamAssembler()
    const deltas = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      { choices: [{ index: 0, delta: { content: 'Par' } }] },
      { choices: [{ index: 0, delta: { content: 'is' }, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } },
    ].map((c) => chat.add(c))
    expect(deltas).toEqual(['', 'Par', 'is', ''])
    expect(chat.result()).toEqual({
      text: 'Paris',
      texts: ['Paris'],
      finish_reason: 'stop',
      usage: { prompt_tokens: 3, completion_tokens: 2 },
    })
    const comp = new CompletionStreamAssembler()
    comp.add({ choices: [{ index: 0, text: 'He' }] })
    comp.add({ choices: [{ index: 0, text: 'llo', finish_reason: 'length' }] })
    expect(comp.result().choices).toEqual([
      { index: 0, text: 'Hello', logprobs: null, finish_reason: 'length' },
    ])
  })
})
