import { describe, expect, it } from 'vitest'
import { bleuSignature, computeBleu, corpusBleu, sentenceBleu } from '../../../src/metrics/bleu.js'

// Published values: sacrebleu test/test_bleu.py and test/test_sentence_bleu.py.
const sys = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.']
const ref1 = ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.']
const ref2 = ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.']
const refs = sys.map((_, i) => [ref1[i] ?? '', ref2[i] ?? ''])

describe('corpusBleu', () => {
  it.each([
    [{}, 48.530827],
    [{ tokenize: '13a' as const }, 48.530827],
    [{ smoothMethod: 'none' as const }, 48.530827],
    [{ tokenize: 'none' as const }, 49.1919566],
    [{ tokenize: 'intl' as const }, 43.91623493],
  ])('%j -> %f', (options, expected) => {
    expect(corpusBleu(sys, refs, options).score).toBeCloseTo(expected, 6)
  })

  it('scores three empty hypotheses 0', () => {
    expect(corpusBleu(['', '', ''], refs).score).toBe(0)
  })

  it.each([
    [1, '77.65'],
    [2, '60.50'],
    [3, '53.93'],
    [4, '48.53'],
    [5, '46.14'],
    [6, '43.28'],
  ])('max_ngram_order %i -> %s', (k, expected) => {
    expect(corpusBleu(sys, refs, { maxNgramOrder: k }).score.toFixed(2)).toBe(expected)
  })

  it.each([
    ['this is a test', 'this is a test', 1.0],
    ['this is a fest', 'this is a test', 0.223606797749979],
    ['test', 'a test', 0.3678794411714425],
    ['a test', 'a test', 1.0],
    ['a little test', 'a test', 0.03218297948685433],
  ])('raw_corpus_bleu %s vs %s', (hyp, ref, expected) => {
    const r = corpusBleu([hyp], [[ref]], {
      tokenize: 'none',
      smoothMethod: 'floor',
      smoothValue: 0.01,
      effectiveOrder: true,
    })
    expect(r.score / 100).toBeCloseTo(expected, 8)
  })

  it('raw_corpus_bleu with mismatched streams is 0', () => {
    const r = corpusBleu(['this is a test', 'another test'], [['ref1'], ['ref2']], {
      tokenize: 'none',
      smoothMethod: 'floor',
      smoothValue: 0.01,
      effectiveOrder: true,
    })
    expect(r.score).toBe(0)
  })
})

describe('computeBleu', () => {
  it('floor smoothing on sufficient statistics', () => {
    const hyp = 'am I am a character sequence'
    const ref = 'I am a symbol string sequence a a'
    const r = corpusBleu([hyp], [[ref]], { smoothMethod: 'floor', smoothValue: 0 })
    expect(r.counts).toEqual([4, 2, 1, 0])
    expect(r.totals).toEqual([6, 5, 4, 3])
    expect(r.score).toBe(0)
    expect(corpusBleu([hyp], [[ref]], { smoothMethod: 'floor' }).score / 100).toBeCloseTo(
      0.1555722182,
      9,
    )
  })

  it('no smoothing', () => {
    expect(computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score / 100).toBeCloseTo(
      0.8375922397,
      9,
    )
  })

  it.each([
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
  ])('degenerate %j %j', (correct, total, sysLen, refLen, floor) => {
    expect(
      computeBleu(correct, total, sysLen, refLen, { smoothMethod: 'floor', smoothValue: floor })
        .score,
    ).toBe(0)
  })
})

describe('sentenceBleu (effective order on)', () => {
  const ref = 'producţia de zahăr brut se exprimă în zahăr alb;'
  const hyp = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;'
  it.each([
    [{ smoothMethod: 'exp' as const }, 8.493],
    [{ smoothMethod: 'none' as const }, 0.0],
    [{ smoothMethod: 'floor' as const }, 4.51688],
    [{ smoothMethod: 'floor' as const, smoothValue: 0.1 }, 4.51688],
    [{ smoothMethod: 'floor' as const, smoothValue: 0.5 }, 10.1],
    [{ smoothMethod: 'add-k' as const }, 14.882],
    [{ smoothMethod: 'add-k' as const, smoothValue: 1 }, 14.882],
    [{ smoothMethod: 'add-k' as const, smoothValue: 2 }, 21.389],
    [{ tokenize: 'none' as const }, 7.347],
    [{ tokenize: 'intl' as const }, 8.493],
    [{ tokenize: 'char' as const }, 40.8759],
    [{ tokenize: 'char' as const, lowercase: true }, 42.0267],
  ])('%j -> %f', (options, expected) => {
    expect(Math.abs(sentenceBleu(hyp, [ref], options).score - expected)).toBeLessThan(1e-3)
  })

  it.each(['exp', 'floor', 'add-k', 'none'] as const)(
    'unrelated sentence is 0 with %s',
    (smoothMethod) => {
      expect(sentenceBleu('this is a cat', ['okay thanks'], { smoothMethod }).score).toBe(0)
    },
  )

  it('differs from effective order off for short hypotheses (trap 1)', () => {
    expect(sentenceBleu('test', ['a test']).score).toBeGreaterThan(0)
    expect(sentenceBleu('test', ['a test'], { effectiveOrder: false }).score).toBe(0)
  })
})

describe('bleuSignature', () => {
  it('follows sacreBLEU', () => {
    expect(bleuSignature({}, false, 2)).toBe(
      'nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0',
    )
    expect(bleuSignature({ smoothMethod: 'floor' }, true)).toBe(
      'nrefs:1|case:mixed|eff:yes|tok:13a|smooth:floor[0.10]|version:2.6.0',
    )
  })
})
