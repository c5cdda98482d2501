import { describe, expect, it } from 'vitest'
import { levelFromPermissionResponse, meetsLevel } from '../../../src/github/permissions.js'
import { fitText } from '../../../src/github/limits.js'
import { stickyBody, stickyMarker, COMMENT_BODY_LIMIT } from '../../../src/github/comments.js'

describe('fitText', () => {
  it('returns text within the limits unchanged', () => {
    expect(fitText('short', 10)).toBe('short')
  })

  it('cuts long text, closes an open fence and details, and says so', () => {
    const text = `<details><summary>x</summary>\n\n\`\`\`\n${'line\n'.repeat(5000)}`
    const out = fitText(text, 2000)
    expect(out.length).toBeLessThanOrEqual(2000)
    expect(out).toMatch(/```\n<\/details>\n\n_… truncated/)
  })

  it('never splits a surrogate pair and respects a byte budget', () => {
    const out = fitText('😀'.repeat(5000), 1001)
    expect(out.replace(/\n\n_….*$/s, '')).toMatch(/^(😀)+$/)
    const bytes = fitText('é'.repeat(10_000), 100_000, 4_000)
    expect(Buffer.byteLength(bytes)).toBeLessThanOrEqual(4_000)
  })
})

describe('sticky comment body', () => {
  it('starts with the marker line and the SHA marker, and stays within 65,536 characters', () => {
    const body = stickyBody({
      kind: 'gate',
      key: 'default',
      headSha: 'f'.repeat(40),
      body: 'x'.repeat(70_000),
    })
    expect(body.split('\n', 2)).toEqual([
      '<!-- llmops:v1 kind=gate key=default -->',
      `<!-- llmops:sha=${'f'.repeat(40)} -->`,
    ])
    expect(body.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT)
  })

  it('refuses keys that could close the HTML comment', () => {
    expect(() => stickyMarker('gate', 'x -->')).toThrow(/invalid sticky comment/)
  })
})

describe('permission levels', () => {
  it.each([
    [
      {
        permission: 'write',
        role_name: 'maintain',
        user: {
          permissions: { admin: false, maintain: true, push: true, triage: true, pull: true },
        },
      },
      'maintain',
    ],
    [
      {
        permission: 'read',
        role_name: 'triage',
        user: {
          permissions: { admin: false, maintain: false, push: false, triage: true, pull: true },
        },
      },
      'triage',
    ],
    [{ permission: 'read', role_name: 'triage' }, 'triage'],
    [{ permission: 'write', role_name: 'custom-ml' }, 'write'],
    [{ permission: 'none' }, 'none'],
  ] as const)('derives %j as %s', (data, level) => {
    expect(levelFromPermissionResponse(data)).toBe(level)
  })

  it('orders levels', () => {
    expect(meetsLevel('maintain', 'write')).toBe(true)
    expect(meetsLevel('triage', 'write')).toBe(false)
    expect(meetsLevel('admin', 'admin')).toBe(true)
  })
})
