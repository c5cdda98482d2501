import { describe, expect, it } from 'vitest'
import { chrfSignature, corpusChrf, sentenceChrf } from '../../../src/metrics/chrf.js'

// Published values: sacrebleu test/test_chrf.py (tolerance 1e-4).
const risk = [
  ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
  'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
]
const obama = [
  ' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. ',
  'Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.',
]

describe('chrF', () => {
  it.each([
    ['abcdefg', 'hijklmnop', 0.0],
    ['a', 'b', 0.0],
    ['', 'b', 0.0],
    ['', 'ref', 0.0],
    ['', 'reference', 0.0],
    ['aa', 'ab', 8.3333],
    ['a', 'a', 16.6667],
    ['a b c', 'a b c', 50.0],
    ['a b c', 'abc', 50.0],
    [risk[0], risk[1], 63.36173],
    [obama[0], obama[1], 64.1302698],
    [obama[1], obama[1], 100.0],
  ])('beta 3, eps smoothing: %j vs %j', (hyp, ref, expected) => {
    expect(
      Math.abs(sentenceChrf(hyp ?? '', [ref ?? ''], { beta: 3, epsSmoothing: true }) - expected),
    ).toBeLessThan(1e-4)
  })

  it('corpus of two segments with eps smoothing', () => {
    expect(corpusChrf(['a', 'b'], [['a'], ['c']], { beta: 3, epsSmoothing: true })).toBeCloseTo(
      8.3333,
      4,
    )
  })

  it.each([
    ['a', 'a', 100.0],
    ['', 'reference', 0.0],
    ['a b c', 'a b c', 100.0],
    ['a b c', 'abc', 100.0],
    ['', 'c', 0.0],
    ['aa', 'ab', 25.0],
  ])('beta 3, effective order: %j vs %j', (hyp, ref, expected) => {
    expect(sentenceChrf(hyp, [ref], { beta: 3 })).toBeCloseTo(expected, 4)
  })

  it('corpus without smoothing', () => {
    expect(corpusChrf(['a', 'b'], [['a'], ['c']], { beta: 3 })).toBeCloseTo(50.0, 4)
  })

  it.each([
    [
      'Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.',
      obama[1] ?? '',
      67.3481606,
    ],
    [(risk[0] ?? '').trim(), risk[1] ?? '', 65.2414427],
  ])('whitespace kept: %j', (hyp, ref, expected) => {
    expect(
      Math.abs(sentenceChrf(hyp, [ref], { beta: 3, whitespace: true }) - expected),
    ).toBeLessThan(1e-4)
  })

  it('picks the best of several references', () => {
    expect(sentenceChrf('the cat', ['a dog', 'the cat'])).toBe(100)
  })

  it('signature', () => {
    expect(chrfSignature()).toBe('nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0')
    expect(chrfSignature({ wordOrder: 2 })).toContain('nw:2')
  })
})
