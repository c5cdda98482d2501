import { describe, expect, it } from 'vitest'
import {
  parseChoices,
  scoreContinuations,
  tokenIndexAt,
} from '../../../src/eval/tasks/loglikelihood.js'
import type {
  CompletionRequest,
  CompletionResponse,
  ModelClient,
} from '../../../src/providers/types.js'

/** A fake server: the tokenizer splits on spaces (keeping the space on the word); logprob of a token = -(its length). */
function fakeClient(withTokenize: boolean) {
  const vocab: string[] = []
  const split = (text: string) => text.match(/ ?\S+|\s+/g) ?? []
  const id = (t: string) => (vocab.includes(t) ? vocab.indexOf(t) : vocab.push(t) - 1)
  const requests: CompletionRequest[] = []
  const client: ModelClient = {
    provider: 'p',
    model: 'm',
    chat: () => Promise.reject(new Error('unused')),
    probe: () => Promise.reject(new Error('unused')),
    complete(request) {
      requests.push(request)
      const prompts = request.prompt as (string | number[])[]
      const choices = prompts.map((p, index) => {
        const tokens = [...(typeof p === 'string' ? split(p) : p.map((i) => vocab[i]!)), 'X']
        const offsets: number[] = []
        let pos = 0
        for (const t of tokens) {
          offsets.push(pos)
          pos += t.length
        }
        return {
          index,
          text: tokens.join(''),
          finish_reason: 'length',
          logprobs: {
            tokens,
            token_logprobs: tokens.map((t, i) => (i === 0 ? null : -t.length)),
            top_logprobs: tokens.map((t, i) => (i === 0 ? null : { [t]: -t.length })),
            text_offset: offsets,
          },
        }
      })
      const res: CompletionResponse = {
        choices: choices.reverse(),
        usage: { prompt_tokens: 1 },
        latency_ms: 2,
        cached: false,
      }
      return Promise.resolve(res)
    },
    ...(withTokenize ? { tokenize: (text: string) => Promise.resolve(split(text).map(id)) } : {}),
  }
  return { client, requests }
}

describe('scoreContinuations', () => {
  it.each([true, false])(
    'scores each choice after the context (token ids: %s)',
    async (withTokenize) => {
      const { client, requests } = fakeClient(withTokenize)
      const res = await scoreContinuations(
        client,
        'Question: sky colour?\nAnswer: ',
        ['blue', 'green'],
        withTokenize,
      )
      // The trailing space of the context moves to the continuation: ' blue' and ' green' are scored.
      expect(res.results).toEqual([
        { ll: -5, isGreedy: true },
        { ll: -6, isGreedy: true },
      ])
      // One prompt per request: llama-cpp-python's server refuses prompt lists (HTTP 500).
      expect(requests).toHaveLength(2)
      for (const request of requests) {
        expect(request).toMatchObject({
          max_tokens: 1,
          temperature: 0,
          logprobs: 1,
          echo: true,
          seed: 1234,
        })
        expect(request.prompt as unknown[]).toHaveLength(1)
        expect(typeof (request.prompt as unknown[])[0]).toBe(withTokenize ? 'object' : 'string')
      }
    },
  )
})

describe('parseChoices', () => {
  it('turns missing prompt logprobs (llama.cpp) into an unsupported error', () => {
    const res: CompletionResponse = {
      choices: [
        {
          index: 0,
          text: 'x',
          finish_reason: 'length',
          logprobs: { tokens: ['x'], token_logprobs: [-0.1], top_logprobs: null },
        },
      ],
      usage: {},
      latency_ms: 1,
      cached: false,
    }
    expect(() => parseChoices(res, [3])).toThrow(expect.objectContaining({ kind: 'unsupported' }))
  })
})

describe('tokenIndexAt', () => {
  it('finds the context boundary from text_offset in code points, or from token lengths', () => {
    const withOffsets = {
      tokens: ['😀', ' is', ' blue', 'x'],
      token_logprobs: [],
      top_logprobs: null,
      text_offset: [0, 1, 4, 9],
    }
    expect(tokenIndexAt(withOffsets, '😀 is')).toBe(2)
    const noOffsets = {
      tokens: ['Sky', ' is', ' blue', 'x'],
      token_logprobs: [],
      top_logprobs: null,
    }
    expect(tokenIndexAt(noOffsets, 'Sky is')).toBe(2)
  })
})
