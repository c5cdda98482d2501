import { describe, expect, it } from 'vitest'
import {
  encodeTokens,
  parseLoglikelihood,
  splitTrailingWhitespace,
  tokenIndexAt,
} from '../../../src/eval/tasks/loglikelihood.js'
import { scoreChoices } from '../../../src/eval/tasks/choice-scoring.js'
import { wordCount } from '../../../src/eval/tasks/perplexity-task.js'

describe('loglikelihood requests (lm-eval local-completions)', () => {
  it('moves trailing whitespace of the context to the continuation', () => {
    expect(splitTrailingWhitespace('Answer: ', 'Paris')).toEqual(['Answer:', ' Paris'])
    expect(splitTrailingWhitespace('Answer:\n\n', ' x')).toEqual(['Answer:', '\n\n x'])
    expect(splitTrailingWhitespace('Answer:', ' Paris')).toEqual(['Answer:', ' Paris'])
  })

  it('truncates ctx+cont on the left to max_length - 1 and shrinks ctxlen accordingly', () => {
    expect(encodeTokens([1, 2, 3], [1, 2, 3, 4, 5], 2048)).toEqual({
      ids: [1, 2, 3, 4, 5],
      ctxlen: 3,
    })
    // L = 4: input is the last 4 tokens; ctxlen = 3 - max(0, 3 + 2 - 4) = 2
    expect(encodeTokens([1, 2, 3], [1, 2, 3, 4, 5], 5)).toEqual({ ids: [2, 3, 4, 5], ctxlen: 2 })
  })

  it('sums token_logprobs[ctxlen:-1] and checks greediness against top_logprobs', () => {
    const lp = {
      tokens: ['Q', ':', ' Paris', '!', 'x'],
      token_logprobs: [null, -1, -0.5, -0.25, -3],
      top_logprobs: [
        null,
        { ':': -1 },
        { ' Paris': -0.5, ' Rome': -2 },
        { '!': -0.25 },
        { y: -0.1 },
      ],
    }
    expect(parseLoglikelihood(lp, 2)).toEqual({ ll: -0.75, isGreedy: true, tokens: 2 })
    const notGreedy = {
      ...lp,
      top_logprobs: [null, { ':': -1 }, { ' Paris': -0.5, ' Rome': -0.1 }, { '!': -0.25 }, null],
    }
    expect(parseLoglikelihood(notGreedy, 2)).toEqual({ ll: -0.75, isGreedy: false, tokens: 2 })
  })

  it('refuses echoes without prompt logprobs (llama.cpp) as unsupported', () => {
    expect(() =>
      parseLoglikelihood({ tokens: ['a'], token_logprobs: [-1], top_logprobs: null }, 1),
    ).toThrow(expect.objectContaining({ kind: 'unsupported' }))
    expect(() => parseLoglikelihood(null, 1)).toThrow(
      expect.objectContaining({ kind: 'unsupported' }),
    )
  })

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

describe('scoreChoices', () => {
  it('matches lm-eval acc, acc_norm (code-point length) and exact_match', () => {
    // Choice 1 has the highest raw loglikelihood; choice 2 wins per character.
    const results = [
      { ll: -6, isGreedy: false, tokens: 2 },
      { ll: -4, isGreedy: true, tokens: 2 },
      { ll: -4.5, isGreedy: false, tokens: 3 },
    ]
    const choices = ['ab', 'cd', 'éfghij']
    expect(scoreChoices(results, choices, 1)).toEqual({ acc: 1, acc_norm: 0, exact_match: 1 })
    expect(scoreChoices(results, choices, 2)).toEqual({ acc: 0, acc_norm: 1, exact_match: 0 })
  })

  it('breaks ties toward the first choice, like numpy argmax', () => {
    const tie = [
      { ll: -1, isGreedy: false, tokens: 1 },
      { ll: -1, isGreedy: false, tokens: 1 },
    ]
    expect(scoreChoices(tie, ['a', 'b'], 0).acc).toBe(1)
    expect(scoreChoices(tie, ['a', 'b'], 1).acc).toBe(0)
  })
})

describe('wordCount', () => {
  it('counts like len(re.split(r"\\s+", doc)), including empty ends and Python-only whitespace', () => {
    expect(wordCount('a b  c')).toBe(3)
    expect(wordCount(' a b ')).toBe(4)
    expect(wordCount('')).toBe(1)
    expect(wordCount('a\u001cb\u0085c')).toBe(3)
    expect(wordCount('a\ufeffb')).toBe(1)
  })
})
