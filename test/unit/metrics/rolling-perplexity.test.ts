import { describe, expect, it } from 'vitest'
import {
  contextLengthFromModels,
  contextLengthFromProps,
} from '../../../src/metrics/lm-eval/context-length.js'
import { rollingWindows } from '../../../src/metrics/lm-eval/perplexity.js'
import { effectiveMaxLength } from '../../../src/metrics/lm-eval/rolling-loglikelihood.js'
import {
  makeDisjointWindow,
  rollingRequests,
} from '../../../src/metrics/lm-eval/rolling-windows.js'

const P = -1
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i)

// Expected windows written by hand from lm-eval's definitions (utils.get_rolling_token_windows,
// make_disjoint_window; TemplateAPI keeps L = max_length - 1, loglikelihood_rolling uses
// max_seq_len = L - 1 and context_len = 1, batch_loglikelihood_requests left-truncates to L).
describe('rolling windows: tokens 0..9, max_seq_len 4, context_len 1', () => {
  const tokens = range(0, 9)

  it('get_rolling_token_windows', () => {
    // pred_len 4; first window predicts 0..3 after the prefix; then windows end at 8 and 10.
    expect(rollingWindows(tokens, P, 4, 1)).toEqual([
      [
        [P, 0, 1, 2],
        [0, 1, 2, 3],
      ],
      [
        [3, 4, 5, 6],
        [4, 5, 6, 7],
      ],
      [
        [5, 6, 7, 8],
        [8, 9],
      ],
    ])
  })

  it('make_disjoint_window keeps the context tokens that are not predicted', () => {
    expect(makeDisjointWindow([P, 0, 1, 2], [0, 1, 2, 3])).toEqual([[P], [0, 1, 2, 3]])
    expect(makeDisjointWindow([3, 4, 5, 6], [4, 5, 6, 7])).toEqual([[3], [4, 5, 6, 7]])
    expect(makeDisjointWindow([5, 6, 7, 8], [8, 9])).toEqual([
      [5, 6, 7],
      [8, 9],
    ])
  })

  it('requests of max_length 6: prompts of 5 tokens, each document token scored once', () => {
    expect(rollingRequests(tokens, P, 6)).toEqual([
      { tokens: [P, 0, 1, 2, 3], ctxlen: 1 },
      { tokens: [3, 4, 5, 6, 7], ctxlen: 1 },
      { tokens: [5, 6, 7, 8, 9], ctxlen: 3 },
    ])
  })
})

describe('rolling requests', () => {
  it('lm-eval tests/test_utils.py windows (34 tokens, max_seq_len 10) as requests', () => {
    expect(rollingRequests(range(0, 33), -100, 12)).toEqual([
      { tokens: [-100, ...range(0, 9)], ctxlen: 1 },
      { tokens: range(9, 19), ctxlen: 1 },
      { tokens: range(19, 29), ctxlen: 1 },
      // ([23..32], [30..33]) made disjoint: context [23..29].
      { tokens: range(23, 33), ctxlen: 7 },
    ])
  })

  it('short, exact-fit, empty and one-token-window documents', () => {
    expect(rollingRequests([7, 8], P, 6)).toEqual([{ tokens: [P, 7, 8], ctxlen: 1 }])
    expect(rollingRequests(range(0, 3), P, 6)).toEqual([{ tokens: [P, 0, 1, 2, 3], ctxlen: 1 }])
    expect(rollingRequests([], P, 6)).toEqual([])
    expect(rollingRequests([0, 1, 2], P, 3)).toEqual([
      { tokens: [P, 0], ctxlen: 1 },
      { tokens: [0, 1], ctxlen: 1 },
      { tokens: [1, 2], ctxlen: 1 },
    ])
    expect(() => rollingRequests([0], P, 2)).toThrow(/max_length/)
  })

  it('covers every token exactly once, in order, each after its true predecessors', () => {
    for (let n = 0; n <= 60; n++) {
      for (const maxLength of [3, 4, 5, 8, 17, 62, 100]) {
        const tokens = range(100, 100 + n - 1)
        const doc = [P, ...tokens]
        const scored: number[] = []
        for (const r of rollingRequests(tokens, P, maxLength)) {
          expect(r.tokens.length).toBeLessThanOrEqual(maxLength - 1)
          expect(r.ctxlen).toBeGreaterThanOrEqual(1)
          // The prompt is a contiguous run of the prefixed document.
          const at = doc.indexOf(r.tokens[0]!)
          expect(r.tokens).toEqual(doc.slice(at, at + r.tokens.length))
          scored.push(...r.tokens.slice(r.ctxlen))
        }
        expect(scored).toEqual(tokens)
      }
    }
  })
})

describe('context length', () => {
  it('caps lm-eval max_length at the context length', () => {
    expect(effectiveMaxLength({ prefixToken: 0 })).toBe(2048)
    expect(effectiveMaxLength({ prefixToken: 0, contextLength: 512 })).toBe(512)
    expect(effectiveMaxLength({ prefixToken: 0, contextLength: 8192 })).toBe(2048)
    expect(effectiveMaxLength({ prefixToken: 0, maxLength: 4096, contextLength: 8192 })).toBe(4096)
    expect(effectiveMaxLength({ prefixToken: 0, maxLength: 4096, contextLength: null })).toBe(4096)
  })

  it('reads vLLM /v1/models max_model_len and llama.cpp /props n_ctx', () => {
    const models = {
      object: 'list',
      data: [
        { id: 'a', max_model_len: 4096 },
        { id: 'b', max_model_len: 32768 },
      ],
    }
    expect(contextLengthFromModels(models, 'b')).toBe(32768)
    expect(contextLengthFromModels(models, 'c')).toBeNull()
    expect(contextLengthFromModels({ data: [{ id: 'x', max_model_len: 2048 }] }, 'alias')).toBe(
      2048,
    )
    expect(contextLengthFromModels({ data: [{ id: 'x' }] }, 'x')).toBeNull()
    expect(contextLengthFromModels(null, 'x')).toBeNull()
    expect(contextLengthFromProps({ default_generation_settings: { n_ctx: 512 } })).toBe(512)
    expect(contextLengthFromProps({ n_ctx: 256 })).toBe(256)
    expect(contextLengthFromProps({ n_ctx: '256' })).toBeNull()
    expect(contextLengthFromProps('<html>')).toBeNull()
  })
})
