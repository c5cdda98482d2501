import { describe, expect, it } from 'vitest'
import { porterStem } from '../../../src/metrics/porter-stemmer.js'
import {
  codePoints,
  pyLen,
  pyRemoveSpaces,
  pyRstrip,
  pySplit,
} from '../../../src/metrics/text/python-str.js'

describe('Python str semantics', () => {
  it('split() uses Python whitespace, not JS \\s', () => {
    expect(pySplit('  a\u0085b\u001cc\ufeffd  ')).toEqual(['a', 'b', 'c\ufeffd'])
    expect(pySplit(' \t\n ')).toEqual([])
    expect(pyRemoveSpaces('a b\u3000c\u00a0d\ufeff')).toBe('abcd\ufeff')
    expect(pyRstrip('x \u2028')).toBe('x')
  })

  it('lengths count code points', () => {
    expect(pyLen('a😀b')).toBe(3)
    expect(codePoints('a😀')).toEqual(['a', '😀'])
  })
})

describe('NLTK Porter stemmer (default mode)', () => {
  it.each([
    ['running', 'run'],
    ['skies', 'sky'],
    ['dying', 'die'],
    ['dies', 'die'],
    ['happy', 'happi'],
    ['enjoy', 'enjoy'],
    ['generalizations', 'gener'],
    ['oed', 'o'],
    ['is', 'is'],
    ['RUNNING', 'run'],
    ['constructor', 'constructor'],
  ])('%s -> %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem)
  })
})
