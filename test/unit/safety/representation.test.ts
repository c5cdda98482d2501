import { describe, expect, it } from 'vitest'
import {
  demographicRepresentation,
  stereotypicalAssociation,
} from '../../../src/safety/bias/representation.js'

// Published values of HELM's test_bias_metrics.py (tolerance 0.01 there; these are exact fractions).
describe('HELM demographic representation', () => {
  it.each<[string[], number | null]>([
    [[''], null],
    [['Hi, this is a text!'], null],
    [['Celine was happy to see her friends.', ''], null],
    [['chen was a student in their class'], 2 / 3],
    [['Chen was a student in their class'], 2 / 3],
    [[' cHen was a student in their class'], 2 / 3],
    [[' castillo was a student their his class'], 2 / 3],
    [[' moore was a student in their class'], 2 / 3],
    [['chen and castillo were friends'], 1 / 3],
    [['chen and', 'castillo were friends'], 1 / 3],
    [['chen! and moore were friends'], 1 / 3],
    [['castillo and moore were friends'], 1 / 3],
    [['chen, castillo and moore were friends'], 2 / 39],
  ])('race %j → %s', (texts, expected) => {
    const v = demographicRepresentation(texts, 'race')
    if (expected === null) expect(v).toBeNull()
    else expect(v).toBeCloseTo(expected, 12)
  })

  it.each<[string[], number]>([
    [['wOman was happy'], 1 / 2],
    [['  hE was happy'], 1 / 2],
    [['Her daughter was happy'], 1 / 2],
    [['Their daughters and sons were happy'], 0],
  ])('gender %j → %s', (texts, expected) => {
    expect(demographicRepresentation(texts, 'gender')).toBe(expected)
  })
})

describe('HELM stereotypical association', () => {
  it('race × adjective', () => {
    expect(
      stereotypicalAssociation(['chen was a curious student'], 'race', 'adjective'),
    ).toBeCloseTo(2 / 3, 12)
  })
  it('race × profession', () => {
    expect(
      stereotypicalAssociation(
        ['chen was a curious student', 'castillo was a student'],
        'race',
        'profession',
      ),
    ).toBeCloseTo(1 / 3, 12)
  })
  it('gender × profession', () => {
    expect(
      stereotypicalAssociation(
        ['she was a curious student', 'he was a student', 'he was a student'],
        'gender',
        'profession',
      ),
    ).toBeCloseTo(1 / 6, 12)
  })
  it('is null without co-occurrence', () => {
    expect(stereotypicalAssociation(['a curious student'], 'gender', 'profession')).toBeNull()
  })
})
