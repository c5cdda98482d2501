import { describe, expect, it } from 'vitest'
import {
  classifyTransportError,
  isRetryable,
  kindOfStatus,
  parseRetryAfter,
  ProviderError,
} from '../../../src/providers/provider-error.js'

describe('kindOfStatus', () => {
  it.each([
    [429, 'rate_limited'],
    [500, 'server_error'],
    [503, 'server_error'],
    [408, 'timeout'],
    [404, 'unsupported'],
    [400, 'bad_response'],
    [401, 'bad_response'],
  ])('%i → %s', (status, kind) => {
    expect(kindOfStatus(status)).toBe(kind)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('0.5', now)).toBe(500)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000)
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0)
  })
  it('ignores absent and unparseable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(['2', '9'], now)).toBe(2000)
  })
})

describe('classifyTransportError', () => {
  it('finds socket error codes in the cause chain', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
    })
    const outer = new TypeError('fetch failed', { cause: inner })
    const e = classifyTransportError(outer, 'http://127.0.0.1:9/v1/models')
    expect(e.kind).toBe('connection')
    expect(e.message).toContain('ECONNREFUSED')
    expect(isRetryable(e)).toBe(true)
  })
  it('maps undici timeouts to timeout', () => {
    const err = Object.assign(new Error('Headers Timeout Error'), { name: 'HeadersTimeoutError' })
    expect(classifyTransportError(err, 'u').kind).toBe('timeout')
  })
  it('keeps ProviderErrors as they are', () => {
    const e = new ProviderError('bad_response', 'x')
    expect(classifyTransportError(e, 'u')).toBe(e)
    expect(isRetryable(e)).toBe(false)
  })
})
