import { describe, expect, it } from 'vitest'
import { bleuSegmentStats, sentenceBleu } from '../../../src/metrics/bleu.js'
import { bleuTokenize, bleuTokens } from '../../../src/metrics/bleu-tokenizers.js'
import { pyRstrip, pySplit } from '../../../src/metrics/text/python-str.js'
import { seededRandom } from '../../../src/sim/hash.js'

// Outputs of sacrebleu 2.6.0 `Tokenizer13a()(line.rstrip())` for these lines.
const SACREBLEU_13A: [string, string][] = [
  ['He said &quot;hi&quot; &amp; left', 'He said " hi " & left'],
  ['a &lt;b&gt; c', 'a < b > c'],
  ['&amp;quot;', '& quot ;'],
  ['&amp;lt;', '<'],
  ['x<skipped>y <skipped>', 'xy'],
  ['state-of-the-\nart\nnext', 'state-of-theart next'],
  ['1,000.5 and 3.14, 2-3 x-y 1999-2000.', '1,000.5 and 3.14 , 2 - 3 x-y 1999 - 2000 .'],
  ['e.g. U.S.A., Mr. Smith.', 'e . g . U . S . A . , Mr . Smith .'],
  ['a.,5 a..b 5., ,5 .5.', 'a . ,5 a . . b 5 . , , 5 . 5 .'],
  ['naïve café, Straße. 日本語。 emoji😀. Ⅻ-1', 'naïve café , Straße . 日本語。 emoji😀 . Ⅻ-1'],
  ['İstanbul—ΑΘΗΝΑ,σοφία', 'İstanbul—ΑΘΗΝΑ , σοφία'],
  ['tab\tsep\u00a0nbsp\u3000ideo', 'tab sep nbsp ideo'],
  ['--1- 2--3 -', '--1 - 2 - -3 -'],
  [
    "don't it's (a) [b] {c} $5 100% #1 @x ~y `z` ^w |v \\u",
    "don't it's ( a ) [ b ] { c } $ 5 100 % # 1 @ x ~ y ` z ` ^ w | v \\ u",
  ],
  ['', ''],
]

/** sacreBLEU's 13a written as its regex chain (tokenizer_13a.py + tokenizer_re.py). */
function regexChain13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ')
  if (s.includes('&'))
    s = s
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
  s = ` ${s} `
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ')
  s = s.replace(/([^0-9])([.,])/g, '$1 $2 ')
  s = s.replace(/([.,])([^0-9])/g, ' $1 $2')
  s = s.replace(/([0-9])(-)/g, '$1 $2 ')
  return pySplit(s).join(' ')
}

const rng = seededRandom

// Pieces that make every 13a rule fire, overlap and chain.
const PIECES = [
  '.',
  ',',
  '-',
  '-\n',
  '\n',
  ' ',
  '  ',
  '\t',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  '0',
  '1',
  '9',
  '10',
  'a',
  'Z',
  'ab',
  '&',
  '&amp;',
  '&quot;',
  '&lt;',
  '&gt;',
  'amp;',
  'quot;',
  '<skipped>',
  '<',
  'skipped>',
  "'",
  '"',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '~',
  '`',
  '^',
  '_',
  '|',
  '\\',
  '/',
  '@',
  ':',
  ';',
  '?',
  '!',
  '#',
  '$',
  '%',
  '*',
  '+',
  '=',
  'é',
  'ß',
  '日本',
  '😀',
  '𝟘',
  '٣',
  '…',
  '—',
]

function randomLine(next: () => number): string {
  let s = ''
  const n = Math.floor(next() * 24)
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)]
  return s
}

describe('13a tokenizer', () => {
  it.each(SACREBLEU_13A)('%j -> %j (sacreBLEU)', (line, expected) => {
    expect(bleuTokenize(pyRstrip(line), '13a')).toBe(expected)
    expect(bleuTokens(pyRstrip(line), '13a')).toEqual(pySplit(expected))
  })

  it('equals the regex chain on 20,000 random lines of rule-triggering pieces', () => {
    const next = rng(13)
    const diffs: string[] = []
    for (let i = 0; i < 20_000; i++) {
      const line = pyRstrip(randomLine(next))
      if (bleuTokenize(line, '13a') !== regexChain13a(line)) diffs.push(JSON.stringify(line))
    }
    expect(diffs.slice(0, 5)).toEqual([])
  })

  it('handles a line longer than its reused buffers', () => {
    const line = 'x,y.1-2&amp;'.repeat(5000)
    expect(bleuTokenize(line, '13a')).toBe(regexChain13a(line))
  })
})

describe('BLEU on interned 13a token ids', () => {
  it('gives the statistics of the same tokens passed pre-tokenized', () => {
    const next = rng(5)
    for (let i = 0; i < 2000; i++) {
      const hyp = randomLine(next) + ' ' + randomLine(next)
      const refs = [randomLine(next) + hyp.slice(0, 10), randomLine(next)]
      const pre = (s: string): string => bleuTokenize(pyRstrip(s), '13a')
      expect(bleuSegmentStats(hyp, refs)).toEqual(
        bleuSegmentStats(pre(hyp), refs.map(pre), { tokenize: 'none' }),
      )
    }
  })

  it('interns more distinct tokens than its initial table holds', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${i}`)
    const hyp = words.join(' ')
    const ref = words.filter((_, i) => i % 3 !== 0).join(' ')
    const stats = bleuSegmentStats(hyp, [ref])
    expect(stats).toEqual(bleuSegmentStats(hyp, [ref], { tokenize: 'none' }))
    // Unigram matches: the 2,000 words kept in the reference.
    expect(stats[2]).toBe(2000)
    expect(sentenceBleu(hyp, [hyp]).score).toBeCloseTo(100, 10)
  })
})
