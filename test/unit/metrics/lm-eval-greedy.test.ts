import { describe, expect, it } from 'vitest'
import { parseLoglikelihood } from '../../../src/metrics/lm-eval/completions-loglikelihood.js'
import type { CompletionResponse } from '../../../src/providers/types.js'

function response(
  tokens: string[],
  tokenLogprobs: (number | null)[],
  top: (Record<string, number> | null)[],
): CompletionResponse {
  return {
    choices: [
      {
        index: 0,
        text: tokens.join(''),
        finish_reason: 'length',
        logprobs: { tokens, token_logprobs: tokenLogprobs, top_logprobs: top },
      },
    ],
    usage: {},
    latency_ms: 1,
    cached: false,
  }
}

describe('is_greedy as lm-eval parse_logprobs decides it (token logprob == max of top values)', () => {
  it('counts a tie with another token as greedy', () => {
    // ' b' ties with ' a', listed first: lm-eval: -0.5 == max(-0.5, -0.5) → greedy.
    const res = response(
      ['Q', ' b', 'x'],
      [null, -0.5, -3],
      [null, { ' a': -0.5, ' b': -0.5 }, { x: -3 }],
    )
    expect(parseLoglikelihood(res, [1])).toEqual([{ ll: -0.5, isGreedy: true }])
  })

  it('compares values, not how the server spells the token in `tokens` and in `top_logprobs`', () => {
    const res = response(['Q', '\ufffd', 'x'], [null, -0.25, -3], [null, { '': -0.25, y: -4 }, {}])
    expect(parseLoglikelihood(res, [1])).toEqual([{ ll: -0.25, isGreedy: true }])
  })

  it('is not greedy when a larger logprob is on offer', () => {
    const res = response(
      ['Q', ' b', ' c', 'x'],
      [null, -0.5, -1, -3],
      [null, { ' b': -0.5 }, { ' d': -0.75, ' c': -1 }, { x: -3 }],
    )
    expect(parseLoglikelihood(res, [1])).toEqual([{ ll: -1.5, isGreedy: false }])
  })
})
