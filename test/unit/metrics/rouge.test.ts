import { describe, expect, it } from 'vitest'
import {
  lcsIndices,
  lcsLength,
  rougeScore,
  rougeScoreMulti,
  rougeTokenize,
  summaryLevelLcs,
  unionLcsIndices,
} from '../../../src/metrics/rouge.js'

// Published values: google-research rouge/rouge_scorer_test.py.
describe('rouge_score', () => {
  it('rouge1 testing one two vs testing', () => {
    const s = rougeScore('rouge1', 'testing one two', 'testing')
    expect(s.precision).toBeCloseTo(1, 7)
    expect(s.recall).toBeCloseTo(1 / 3, 7)
    expect(s.fmeasure).toBeCloseTo(1 / 2, 7)
  })

  it.each(['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const)(
    '%s against an empty prediction is 0',
    (type) => {
      expect(rougeScore(type, 'testing one two', '').fmeasure).toBe(0)
    },
  )

  it('rouge2, rougeL and rouge1 on testing one', () => {
    const r2 = rougeScore('rouge2', 'testing one two', 'testing one')
    expect([r2.precision, r2.recall, r2.fmeasure]).toEqual(
      [1, 1 / 2, 2 / 3].map((x) => expect.closeTo(x, 7) as number),
    )
    for (const type of ['rougeL', 'rouge1'] as const) {
      const s = rougeScore(type, 'testing one two', 'testing one')
      expect([s.precision, s.recall, s.fmeasure]).toEqual(
        [1, 2 / 3, 4 / 5].map((x) => expect.closeTo(x, 7) as number),
      )
    }
    const l = rougeScore('rougeL', 'testing one two', 'testing two')
    expect([l.precision, l.recall, l.fmeasure]).toEqual(
      [1, 2 / 3, 4 / 5].map((x) => expect.closeTo(x, 7) as number),
    )
  })

  it('LCS internals', () => {
    expect(lcsLength(['1', '2', '3', '4', '5'], ['2', '5', '3', '4'])).toBe(3)
    expect(lcsIndices(['1', '2', '3', '4', '5'], ['2', '5', '3', '4'])).toEqual([1, 2, 3])
    expect(lcsIndices(['1', '2', '3', '4', '5'], ['8', '9'])).toEqual([])
    const ref = ['1', '2', '3', '4', '5']
    const cands = [
      ['1', '2', '6', '7', '8'],
      ['1', '3', '8', '9', '5'],
    ]
    expect(unionLcsIndices(ref, cands).map((i) => ref[i])).toEqual(['1', '2', '3', '5'])
    const s = summaryLevelLcs([ref], cands)
    expect(s.recall).toBeCloseTo(0.8, 7)
    expect(s.precision).toBeCloseTo(0.4, 7)
    expect(s.fmeasure).toBeCloseTo(0.5333, 3)
  })

  it('rougeLsum on lines', () => {
    const s = rougeScore('rougeLsum', 'w1 w2 w3 w4 w5', 'w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5')
    expect(s.recall).toBeCloseTo(0.8, 3)
    expect(s.precision).toBeCloseTo(0.4, 3)
    expect(s.fmeasure).toBeCloseTo(0.5333, 3)
    expect(rougeScore('rougeLsum', 'w1 w2 w3 w4 w5', '').fmeasure).toBe(0)
    expect(rougeScore('rougeLsum', '', 'w1').fmeasure).toBe(0)
    expect(rougeScore('rougeLsum', 'w1 w2 w3 w4 w5', '/').fmeasure).toBe(0)
  })

  it('tokenizes like rouge_score (non-ASCII letters vanish, stems only long tokens)', () => {
    expect(rougeTokenize('Héllo, WORLD! 42')).toEqual(['h', 'llo', 'world', '42'])
    expect(rougeTokenize('the running dogs ran', true)).toEqual(['the', 'run', 'dog', 'ran'])
  })

  it('score_multi keeps the best target per type, first on ties', () => {
    const s = rougeScoreMulti(['rouge1', 'rougeL'], ['a b c', 'x y', 'a b c'], 'a b')
    expect(s.rouge1?.fmeasure).toBeCloseTo(0.8, 7)
    expect(s.rougeL?.recall).toBeCloseTo(2 / 3, 7)
  })
})
