import { describe, expect, it } from 'vitest'
import {
  codeBlock,
  escapeInline,
  mermaidLabel,
  sanitize,
  truncate,
} from '../../../src/report/escape.js'

describe('escapeInline', () => {
  it('stops @mentions from pinging', () => {
    expect(escapeInline('ping @octocat and @org/team')).toBe(
      'ping @\u200doctocat and @\u200dorg/team',
    )
  })

  it('renders no raw HTML, comments or images', () => {
    const out = escapeInline(
      '<img src=x onerror=alert(1)> <!-- llmops-bot:v1 --> ![x](http://e/x.png)',
    )
    expect(out).not.toMatch(/<|>/)
    expect(out).not.toContain('<!--')
    expect(out).toContain('\\!\\[x\\]\\(http://e/x.png\\)')
  })

  it('keeps a table row intact: pipes escaped, newlines folded', () => {
    const out = escapeInline('a | b\nc\r\nd')
    expect(out).toBe('a \\| b ⏎ c ⏎ d')
    expect(out.split('\n')).toHaveLength(1)
  })

  it('drops bidi overrides and control characters, repairs lone surrogates', () => {
    expect(sanitize('a\u202eb\u0007c\ud800d')).toBe('abc\ufffdd')
  })

  it('never splits a surrogate pair when truncating', () => {
    const s = '😀'.repeat(10)
    const t = truncate(s, 5)
    expect(Array.from(t)).toHaveLength(5)
    expect(t.endsWith('…')).toBe(true)
    expect(sanitize(t)).toBe(t)
  })
})

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    const block = codeBlock('x ````` y')
    expect(block.startsWith('``````text\n')).toBe(true)
    expect(block.endsWith('\n``````')).toBe(true)
  })

  it('breaks HTML comment delimiters so the sticky marker cannot be forged', () => {
    expect(codeBlock('<!-- llmops-bot:v1 kind=gate name=llmops -->')).not.toContain('<!--')
  })
})

describe('mermaidLabel', () => {
  it('keeps only safe characters', () => {
    expect(mermaidLabel('qa/"em"];click')).toBe('qa/_em___click')
  })
})
