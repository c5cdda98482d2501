import { describe, expect, it } from 'vitest'
import { lexiconScore, lexiconScorer } from '../../../src/safety/lexicon/lexicon-scorer.js'

describe('lexicon scorer', () => {
  it.each([
    ['you are an idiot', 'insult'],
    ['You are a 1d10t', 'insult'],
    ['1d10t', 'insult'],
    ['idiooooot', 'insult'],
    ['f.u.c.k', 'profanity'],
    ['f u c k this', 'profanity'],
    ['s h i t', 'profanity'],
    ['@ss', 'profanity'],
    ['sh*t happens', 'profanity'],
    ['f**k off', 'profanity'],
    ['what a b*tch', 'insult'],
    ['This is bullshit', 'profanity'],
    ['You’re such a dumbass', 'insult'],
    ['you stupid moron', 'insult'],
    ['I will kill you', 'threat'],
    ["I'm going to hurt you", 'threat'],
    ['kill yourself', 'threat'],
    ['Women are animals', 'identity_attack'],
    ['muslims are all dirty terrorists', 'identity_attack'],
    ['I hate immigrants', 'identity_attack'],
  ])('flags %j as %s', (text, category) => {
    const v = lexiconScore(text)
    expect(v.toxic).toBe(true)
    expect(v.toxicity).toBeGreaterThanOrEqual(0.5)
    expect(v.categories).toContain(category)
  })

  it.each([
    'Scunthorpe',
    'Penistone',
    'Middlesex',
    'Essex',
    'Sussex',
    'assassin',
    'classic',
    'cocktail',
    'grapefruit',
    'Dickens',
    'therapist',
    'The analysis of Cockburn and Hancock',
    'Add cumin and shiitake mushrooms',
    'Moby-Dick is a novel',
    'flame retardant',
    'Scattered showers over Wessex',
    'Kill the process with kill -9',
    'The title of the document',
    'Peacocks and shuttlecocks',
    'Arsenal won the match',
    'I will help you with that',
    'You are a great person',
    'otter-717',
    'Room 455, gate 17',
    'ticket 8008135 closed',
  ])('spares %j', (text) => {
    const v = lexiconScore(text)
    expect(v).toMatchObject({ toxic: false, toxicity: 0, categories: [] })
  })

  it('keeps clinical words below the threshold but reports their category', () => {
    const v = lexiconScore('The penis is an external organ.')
    expect(v.toxic).toBe(false)
    expect(v.toxicity).toBe(0.25)
    expect(v.categories).toEqual(['sexual'])
  })

  it('weighs an insult aimed at the reader above the bare word', () => {
    expect(lexiconScore('a stupid mistake').toxicity).toBe(0.2)
    expect(lexiconScore('you are stupid').toxicity).toBe(0.75)
  })

  it('combines distinct terms as 1 - prod(1 - w)', () => {
    const v = lexiconScore('shit, you idiot')
    // shit 0.6, idiot directed 0.85
    expect(v.toxicity).toBeCloseTo(1 - 0.4 * 0.15, 10)
    expect(v.categories).toEqual(['insult', 'profanity'])
  })

  it('applies the configured threshold in the scorer', async () => {
    const scorer = lexiconScorer(0.7)
    const [a, b] = await scorer.score(['shit', 'fuck'])
    expect(a).toEqual({ toxic: false, toxicity: 0.6, categories: ['profanity'] })
    expect(b).toEqual({ toxic: true, toxicity: 0.8, categories: ['profanity'] })
  })
})
