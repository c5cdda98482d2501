import { describe, expect, it } from 'vitest'
import { decode, encode, splitTokens, tokenId } from '../../../src/sim/tokenizer.js'

describe('sim tokenizer', () => {
  it.each([
    ['Hello, world!', ['Hello', ',', ' world', '!']],
    ['a  b', ['a', ' ', ' b']],
    ['x\n\ny', ['x', '\n', '\n', 'y']],
    ['  lead', [' ', ' lead']],
    ['trail  ', ['trail', '  ']],
    ['déjà vu 42', ['déjà', ' vu', ' 42']],
  ])('splits %j', (text, tokens) => {
    expect(splitTokens(text)).toEqual(tokens)
  })

  it('round-trips text through ids', () => {
    const text = 'The quick brown fox, 3 times!\n  Done.'
    expect(decode(encode(text))).toBe(text)
  })

  it('gives stable ids independent of call order', () => {
    expect(tokenId(' world')).toBe(tokenId(' world'))
    expect(tokenId(' world')).not.toBe(tokenId('world'))
    expect(tokenId('Hello')).toBe(116460851)
  })

  it('renders unknown ids visibly', () => {
    expect(decode([7])).toBe('<|7|>')
  })
})
