import { describe, expect, it } from 'vitest'
import { classifyEvent, isBot } from '../../../src/chatops/trigger.js'

function issueComment(
  overrides: { action?: string; pr?: boolean; body?: string; login?: string; type?: string } = {},
) {
  return {
    action: overrides.action ?? 'created',
    issue: {
      number: 7,
      ...(overrides.pr === false ? {} : { pull_request: { url: 'https://x/pulls/7' } }),
    },
    comment: {
      id: 42,
      body: overrides.body ?? '/eval',
      created_at: '2026-01-01T00:00:00Z',
      user: { login: overrides.login ?? 'alice', type: overrides.type ?? 'User' },
    },
    repository: { full_name: 'o/r', name: 'r', owner: { login: 'o' }, default_branch: 'main' },
  }
}

describe('classifyEvent', () => {
  it('handles a new comment on a pull request by a person', () => {
    expect(classifyEvent('issue_comment', issueComment())).toEqual({
      handle: true,
      trigger: {
        source: 'issue_comment',
        commentId: 42,
        body: '/eval',
        createdAt: '2026-01-01T00:00:00Z',
        author: 'alice',
        pr: 7,
        repo: { owner: 'o', name: 'r', fullName: 'o/r', defaultBranch: 'main' },
      },
    })
  })

  it.each([
    ['an edit', issueComment({ action: 'edited' }), 'comment edited'],
    ['a deletion', issueComment({ action: 'deleted' }), 'comment deleted'],
    ['a plain issue', issueComment({ pr: false }), 'not a pull request'],
    ['a [bot] login', issueComment({ login: 'dependabot[bot]' }), 'is a bot'],
    ['a Bot type', issueComment({ login: 'someapp', type: 'Bot' }), 'is a bot'],
    [
      'our own marker',
      issueComment({ body: '<!-- llmops:v1 kind=command key=eval -->\n/eval' }),
      'our own marker',
    ],
    ['a malformed payload', { action: 'created' }, 'not in the expected shape'],
  ])('ignores %s', (_label, payload, reason) => {
    const decision = classifyEvent('issue_comment', payload)
    expect(decision.handle).toBe(false)
    if (!decision.handle) expect(decision.reason).toContain(reason)
  })

  it('ignores other events', () => {
    expect(classifyEvent('push', {})).toEqual({
      handle: false,
      reason: "event 'push' does not carry comment commands",
    })
  })

  it('ignores our own identity when we post as a user', () => {
    expect(
      classifyEvent('issue_comment', issueComment({ login: 'LLMOps-Bot' }), 'llmops-bot').handle,
    ).toBe(false)
  })

  it('reads review comments on pull requests', () => {
    const payload = {
      action: 'created',
      pull_request: { number: 9 },
      comment: {
        id: 5,
        body: '/help',
        created_at: '2026-01-01T00:00:00Z',
        user: { login: 'bob', type: 'User' },
      },
      repository: { full_name: 'o/r', name: 'r', owner: { login: 'o' } },
    }
    expect(classifyEvent('pull_request_review_comment', payload)).toMatchObject({
      handle: true,
      trigger: { source: 'pull_request_review_comment', pr: 9, commentId: 5 },
    })
  })
})

describe('isBot', () => {
  it.each([
    [{ login: 'github-actions[bot]', type: 'Bot' }, undefined, true],
    [{ login: 'x[bot]', type: 'User' }, undefined, true],
    [{ login: 'alice', type: 'User' }, undefined, false],
    [{ login: 'alice', type: 'Organization' }, undefined, true],
    [{ login: 'me', type: 'User' }, 'me[bot]', true],
  ])('%j (self %s) -> %s', (author, self, expected) => {
    expect(isBot(author, self)).toBe(expected)
  })
})
