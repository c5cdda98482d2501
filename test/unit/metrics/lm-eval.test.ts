import { describe, expect, it } from 'vitest'
import {
  encodeLoglikelihood,
  loglikelihoodRequest,
  MissingPromptLogprobsError,
  parseLoglikelihood,
  splitContext,
} from '../../../src/metrics/lm-eval/completions-loglikelihood.js'
import {
  scoreMultipleChoice,
  truthfulqaMc1,
  truthfulqaMc2,
} from '../../../src/metrics/lm-eval/multiple-choice.js'
import {
  corpusPerplexity,
  countWords,
  meanPerplexity,
  rollingWindows,
} from '../../../src/metrics/lm-eval/perplexity.js'
import type { CompletionResponse } from '../../../src/providers/types.js'

const r = (ll: number, isGreedy: boolean) => ({ ll, isGreedy })

describe('multiple choice (lm-eval tests/test_metrics.py)', () => {
  const choices = ['A', 'B', 'C']
  it('acc and acc_mutual_info, first case', () => {
    const s = scoreMultipleChoice(
      choices,
      [r(-2, false), r(-1, true), r(-3, false), r(-2.5, false), r(-2, false), r(-2.5, false)],
      1,
      {
        mutualInfo: true,
      },
    )
    expect(s.acc).toBe(1)
    expect(s.acc_mutual_info).toBe(1)
  })
  it('acc and acc_mutual_info, second case', () => {
    const s = scoreMultipleChoice(
      choices,
      [r(-1, true), r(-2, false), r(-3, false), r(-0.5, false), r(-2, false), r(-3, false)],
      1,
      {
        mutualInfo: true,
      },
    )
    expect(s.acc).toBe(0)
    expect(s.acc_mutual_info).toBe(1)
    expect(s.exact_match).toBe(0)
  })
  it('acc_norm uses code points, acc_bytes UTF-8 bytes', () => {
    // "éé" is 2 code points but 4 bytes: per char -1.5 beats -2; per byte -0.75 beats -1.
    const s = scoreMultipleChoice(['éé', 'ab'], [r(-3, false), r(-2, true)], 0)
    expect(s.acc).toBe(0)
    expect(s.acc_norm).toBe(0)
    expect(s.acc_bytes).toBe(1)
    expect(scoreMultipleChoice(['éé', 'ab'], [r(-3, false), r(-2, true)], 'ab').exact_match).toBe(1)
  })
  it('TruthfulQA MC1 and MC2', () => {
    expect(truthfulqaMc1([-1, -2, -3])).toBe(1)
    expect(truthfulqaMc1([-2, -1])).toBe(0)
    expect(truthfulqaMc2([Math.log(0.3), Math.log(0.1), Math.log(0.6)], [1, 1, 0])).toBeCloseTo(
      0.4,
      12,
    )
  })
})

describe('/v1/completions loglikelihood', () => {
  it('moves trailing whitespace of the context to the continuation', () => {
    expect(splitContext('Question: 2+2?\nAnswer: ', '4')).toEqual({
      context: 'Question: 2+2?\nAnswer:',
      continuation: ' 4',
    })
  })
  it('builds the lm-eval request body', () => {
    expect(loglikelihoodRequest([[1, 2, 3]])).toEqual({
      prompt: [[1, 2, 3]],
      temperature: 0,
      max_tokens: 1,
      logprobs: 1,
      seed: 1234,
      echo: true,
    })
  })
  it('encodes with left truncation and the ctxlen rule', () => {
    expect(encodeLoglikelihood([1, 2, 3], [1, 2, 3, 4, 5])).toEqual({
      tokens: [1, 2, 3, 4, 5],
      ctxlen: 3,
    })
    expect(encodeLoglikelihood([1, 2, 3], [1, 2, 3, 4, 5], { maxLength: 4 })).toEqual({
      tokens: [3, 4, 5],
      ctxlen: 1,
    })
    expect(encodeLoglikelihood([], [7, 8], { prefixToken: 0 })).toEqual({
      tokens: [0, 7, 8],
      ctxlen: 1,
    })
  })
  it('parses ll = sum(token_logprobs[ctxlen:-1]) and is_greedy from top_logprobs', () => {
    const response: CompletionResponse = {
      choices: [
        {
          index: 1,
          text: '',
          finish_reason: 'length',
          logprobs: {
            tokens: ['Q', ' a', ' b', 'x'],
            token_logprobs: [null, -1, -2, -9],
            top_logprobs: [null, { ' a': -1 }, { ' c': -0.5, ' b': -2 }, { x: -9 }],
          },
        },
        {
          index: 0,
          text: '',
          finish_reason: 'length',
          logprobs: {
            tokens: ['Q', ' a', ' b', 'x'],
            token_logprobs: [null, -0.5, -0.25, -9],
            top_logprobs: [null, { ' a': -0.5 }, { ' b': -0.25 }, { x: -9 }],
          },
        },
      ],
      usage: {},
      latency_ms: 1,
      cached: false,
    }
    expect(parseLoglikelihood(response, [1, 1])).toEqual([
      { ll: -0.75, isGreedy: true },
      { ll: -3, isGreedy: false },
    ])
  })
  it('says clearly when prompt logprobs are missing', () => {
    const response: CompletionResponse = {
      choices: [
        {
          index: 0,
          text: 'x',
          finish_reason: 'length',
          logprobs: { tokens: ['x'], token_logprobs: [-1], top_logprobs: null },
        },
      ],
      usage: {},
      latency_ms: 1,
      cached: false,
    }
    expect(() => parseLoglikelihood(response, [3])).toThrow(MissingPromptLogprobsError)
  })
})

describe('perplexity', () => {
  it('rolling windows (lm-eval tests/test_utils.py)', () => {
    const tokens = Array.from({ length: 34 }, (_, i) => i)
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i)
    expect(rollingWindows(tokens, -100, 10, 1)).toEqual([
      [[-100, ...range(0, 8)], range(0, 9)],
      [range(9, 18), range(10, 19)],
      [range(19, 28), range(20, 29)],
      [range(23, 32), range(30, 33)],
    ])
    const w8 = rollingWindows(tokens, -100, 10, 8)
    expect(w8[0]).toEqual([[-100, ...range(0, 8)], range(0, 9)])
    expect(w8[1]).toEqual([range(2, 11), [10, 11, 12]])
    expect(w8[2]).toEqual([range(5, 14), [13, 14, 15]])
    expect(w8[w8.length - 1]).toEqual([range(23, 32), [31, 32, 33]])
  })
  it('counts words like re.split(r"\\s+") and weights by corpus', () => {
    expect(countWords(' a b ')).toBe(4)
    const p = corpusPerplexity([
      { ll: -4, text: 'ab cd' },
      { ll: -2, text: 'é' },
    ])
    expect(p.word_perplexity).toBeCloseTo(Math.exp(6 / 3), 12)
    expect(p.byte_perplexity).toBeCloseTo(Math.exp(6 / 7), 12)
    expect(p.bits_per_byte).toBeCloseTo(6 / 7 / Math.LN2, 12)
    expect(meanPerplexity([-1, -3])).toBeCloseTo(Math.exp(2), 12)
  })
})
