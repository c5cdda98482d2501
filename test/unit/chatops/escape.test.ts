import { describe, expect, it } from 'vitest'
import { codeSpan, escapeUserText } from '../../../src/chatops/escape.js'

describe('escapeUserText', () => {
  it.each([
    ['plain', 'plain'],
    ['@octocat', '@&#8203;octocat'],
    ['<!-- llmops:v1 kind=eval -->', '&lt;\\!\\-\\- llmops:v1 kind=eval \\-\\-&gt;'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert\\(1\\)&gt;'],
    ['`code` *bold* [link](u)', '\\`code\\` \\*bold\\* \\[link\\]\\(u\\)'],
    ['two\nlines', 'two lines'],
    ['bidi\u202eevil', 'bidievil'],
    ['a&b', 'a&amp;b'],
  ])('%j', (input, expected) => {
    expect(escapeUserText(input)).toBe(expected)
  })

  it('cuts long text and marks the cut', () => {
    expect(escapeUserText('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}…`)
  })

  it('never leaves a raw < or an unescaped @', () => {
    const out = escapeUserText('<<@a>> @@b')
    expect(out).not.toMatch(/<|@(?!&#8203;)/)
  })
})

describe('codeSpan', () => {
  it.each([
    ['/eval suite=support-qa', '`/eval suite=support-qa`'],
    ['/deploy staging', '`/deploy staging`'],
    ['a`b', 'a\\`b'],
    ['<!-- x -->', '&lt;\\!\\-\\- x \\-\\-&gt;'],
    ['@team', '@&#8203;team'],
    ['two\nlines', '`two lines`'],
  ])('%j', (input, expected) => {
    expect(codeSpan(input)).toBe(expected)
  })
})
