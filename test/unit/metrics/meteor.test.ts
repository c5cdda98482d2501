import { describe, expect, it } from 'vitest'
import { meteorScore, meteorText, singleMeteorScore } from '../../../src/metrics/meteor.js'

// Published values: nltk meteor_score.py doctests, test_meteor.py, meteor.doctest.
const hyp1 =
  'It is a guide to action which ensures that the military always obeys the commands of the party'.split(
    ' ',
  )
const ref1 =
  'It is a guide to action that ensures that the military will forever heed Party commands'.split(
    ' ',
  )
const ref2 =
  'It is the guiding principle which guarantees the military forces always being under the command of the Party'.split(
    ' ',
  )
const ref3 =
  'It is the practical guide for the army always to heed the directions of the party'.split(' ')

describe('METEOR (NLTK)', () => {
  it('doctest values', () => {
    expect(singleMeteorScore(ref1, hyp1).toFixed(4)).toBe('0.6944')
    expect(meteorScore([ref1, ref2, ref3], hyp1).toFixed(4)).toBe('0.6944')
    expect(singleMeteorScore(['this', 'is', 'a', 'cat'], ['non', 'matching', 'hypothesis'])).toBe(0)
  })

  it('unit test value is exact', () => {
    expect(
      meteorScore(
        [
          ['this', 'is', 'a', 'test'],
          ['this', 'istest'],
        ],
        ['THIS', 'Is', 'a', 'tEST'],
      ),
    ).toBe(0.9921875)
  })

  it.each([
    ['The cat sat on the mat', 'The cat sat on the mat', 0.9977, 1e-2],
    ['The cat sat on the mat', 'on the mat sat the cat', 0.5, 1e-4],
    ['The cat sat on the mat', 'The cat was sat on the mat', 0.9654, 1e-4],
    ['create or update a vm set', 'creates or updates a virtual machine scale set', 0.7806, 1e-4],
    ['John loves Mary', 'The candidate has no alignment to any of the references', 0.0, 0],
  ])('doctest %j vs %j', (ref, hyp, expected, tol) => {
    expect(Math.abs(meteorText([ref], hyp) - expected)).toBeLessThanOrEqual(tol + 5e-5)
  })

  it('finds WordNet synonyms of the stemmed hypothesis word', () => {
    // "car" and "auto" share the synset car.n.01; stems are unchanged.
    expect(singleMeteorScore(['car'], ['auto'])).toBeGreaterThan(0)
    expect(singleMeteorScore(['car'], ['banana'])).toBe(0)
  })
})
