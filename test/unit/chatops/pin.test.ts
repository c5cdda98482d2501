import { describe, expect, it } from 'vitest'
import { pinHead } from '../../../src/chatops/pin.js'
import { fakeGitHub, HEAD } from './fake-github.js'

const COMMENT_AT = '2026-01-01T00:00:10Z'

describe('pinHead', () => {
  it.each([
    ['first seen before the comment', ['2026-01-01T00:00:00Z'], true],
    ['first seen within the 2 s tolerance', ['2026-01-01T00:00:12Z'], true],
    ['first seen just after the tolerance', ['2026-01-01T00:00:12.001Z'], false],
    [
      'the earliest of several suites counts',
      ['2026-01-01T00:05:00Z', '2026-01-01T00:00:01Z'],
      true,
    ],
    ['no suite at all fails closed', [], false],
    ['unparsable times fail closed', ['yesterday'], false],
  ])('%s', async (_label, suites, ok) => {
    const pin = await pinHead(fakeGitHub({ suites }).github, {
      pr: 1,
      commentCreatedAt: COMMENT_AT,
    })
    expect(pin.ok).toBe(ok)
    if (pin.ok) expect(pin).toEqual({ ok: true, sha: HEAD, fork: false, rule: 'first-seen' })
  })

  it.each([
    ['a closed pull request', { state: 'closed' as const }, 'is closed'],
    ['a merged pull request', { state: 'closed' as const, merged: true }, 'is merged'],
    ['a head SHA that is not 40 hex', { headSha: 'main' }, 'not 40 hex'],
    ['a fork without sha=', { headRepo: 'mallory/r' }, 'comes from a fork'],
    ['a deleted fork without sha=', { headRepo: null }, 'comes from a fork'],
  ])('rejects %s', async (_label, pull, reason) => {
    const pin = await pinHead(fakeGitHub({ pull }).github, { pr: 1, commentCreatedAt: COMMENT_AT })
    expect(pin.ok).toBe(false)
    if (!pin.ok) expect(pin.reason).toContain(reason)
  })

  it('an explicit sha must equal the current head', async () => {
    const other = 'f'.repeat(40)
    const pin = await pinHead(fakeGitHub().github, {
      pr: 1,
      commentCreatedAt: COMMENT_AT,
      explicitSha: other,
    })
    expect(pin).toMatchObject({ ok: false, headSha: HEAD })
  })

  it('an explicit sha equal to the head pins a fork without consulting check suites', async () => {
    const fake = fakeGitHub({
      pull: { headRepo: 'mallory/r' },
      suites: new Error('must not be called'),
    })
    const pin = await pinHead(fake.github, {
      pr: 1,
      commentCreatedAt: COMMENT_AT,
      explicitSha: HEAD,
    })
    expect(pin).toEqual({ ok: true, sha: HEAD, fork: true, rule: 'explicit-sha' })
  })

  it.each([
    [
      'the pull request lookup',
      { pull: new Error('HTTP 404') },
      'could not read the pull request (HTTP 404)',
    ],
    [
      'the check-suite lookup',
      { suites: new Error('HTTP 403') },
      'could not read when the head commit was pushed (HTTP 403)',
    ],
  ])('a failure of %s denies', async (_label, options, reason) => {
    const pin = await pinHead(fakeGitHub(options).github, { pr: 1, commentCreatedAt: COMMENT_AT })
    expect(pin).toMatchObject({ ok: false, reason })
  })
})
