import { describe, expect, it } from 'vitest'
import { detectPii } from '../../../src/safety/pii/detect-pii.js'
import {
  ibanValid,
  luhnValid,
  spanishIdValid,
  ssnValid,
} from '../../../src/safety/pii/validators.js'

const found = (text: string, ip = false) =>
  detectPii(text, { ipAddresses: ip }).map((f) => [f.kind, f.detail, text.slice(...f.span)])

describe('detectPii', () => {
  it.each([
    ['Mail me at john.doe@acme.io please', 'email', 'john.doe@acme.io'],
    ['Call +1 415 555 2671 today', 'phone', '+1 415 555 2671'],
    ['Call (415) 555-2671', 'phone', '(415) 555-2671'],
    ['Call 415.555.2671', 'phone', '415.555.2671'],
    ['Phone 020 7183 8750', 'phone', '020 7183 8750'],
    ['Card 4111 1111 1111 1111 exp 12/29', 'credit_card', '4111 1111 1111 1111'],
    ['5500-0055-5555-5559', 'credit_card', '5500-0055-5555-5559'],
    ['Amex 378282246310005', 'credit_card', '378282246310005'],
    ['IBAN GB82 WEST 1234 5698 7654 32', 'iban', 'GB82 WEST 1234 5698 7654 32'],
    ['DE89370400440532013000', 'iban', 'DE89370400440532013000'],
    ['SSN 536-22-8726', 'national_id', '536-22-8726'],
    ['NINO AB 12 34 56 C', 'national_id', 'AB 12 34 56 C'],
    ['DNI 12345678Z', 'national_id', '12345678Z'],
    ['key AKIAIOSFODNN7EXAMPLE', 'secret', 'AKIAIOSFODNN7EXAMPLE'],
    [`token ghp_${'a1'.repeat(18)}`, 'secret', `ghp_${'a1'.repeat(18)}`],
    [
      `github_pat_${'A'.repeat(22)}_${'b'.repeat(59)}`,
      'secret',
      `github_pat_${'A'.repeat(22)}_${'b'.repeat(59)}`,
    ],
    ['xoxb-1234567890-abcdefghij', 'secret', 'xoxb-1234567890-abcdefghij'],
    [`AIza${'B'.repeat(35)}`, 'secret', `AIza${'B'.repeat(35)}`],
    [
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn',
      'secret',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
    ],
    ['sk-proj-abc123DEF456ghi789JKL012', 'secret', 'sk-proj-abc123DEF456ghi789JKL012'],
  ])('finds %j', (text, kind, match) => {
    expect(found(text)).toContainEqual([kind, expect.any(String), match])
  })

  it('finds a JWT whose header decodes to JSON', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'
    expect(found(`Bearer ${jwt}`)).toEqual([['secret', 'jwt', jwt]])
    expect(found('eyJub3RqdXN0.eyJhbnl0aGluZyI.c2lnbmF0dXJlcw')).toEqual([])
  })

  it.each([
    'user@example.com is a placeholder',
    'Released 2024-01-15, version 1.2.3.4, build 2024.01.15',
    'card 4111-1111-1111-1112 fails Luhn',
    'order 1234567890123',
    '0000 0000 0000 0000',
    'GB82WEST12345698765433',
    'SSN 666-22-8726 and 000-12-3456 and 123-00-4567',
    'GB123456A',
    'DNI 12345678A',
    'sk-this-is-not-a-real-key-at-all',
    'pi is 3.14159265358979',
    'ISBN 978-3-16-148410-0',
    'between 1999 and 2000',
    'the ratio was 123-45-67',
  ])('finds nothing in %j', (text) => {
    expect(found(text)).toEqual([])
  })

  it('reports spans in UTF-16 code units', () => {
    const text = '😀 écris à ana@acme.io'
    const [f] = detectPii(text)
    expect(f?.span).toEqual([text.indexOf('ana'), text.length])
    expect(text.slice(...f!.span)).toBe('ana@acme.io')
  })

  it('does not report a card number again as a phone', () => {
    expect(found('4111 1111 1111 1111').map((f) => f[0])).toEqual(['credit_card'])
  })

  it('reports public IPv4 addresses only when asked', () => {
    expect(found('from 8.8.8.8 and 10.0.0.1')).toEqual([])
    expect(found('from 8.8.8.8 and 10.0.0.1', true)).toEqual([['ip_address', 'ipv4', '8.8.8.8']])
  })
})

describe('validators', () => {
  it('checks Luhn, mod 97, SSN ranges and DNI letters', () => {
    expect(luhnValid('79927398713')).toBe(true)
    expect(luhnValid('79927398710')).toBe(false)
    expect(ibanValid('GB82WEST12345698765432')).toBe(true)
    expect(ibanValid('GB82WEST12345698765431')).toBe(false)
    expect(ssnValid('900', '12', '3456')).toBe(false)
    expect(ssnValid('536', '22', '8726')).toBe(true)
    expect(spanishIdValid('X1234567L')).toBe(true)
    expect(spanishIdValid('X1234567A')).toBe(false)
  })
})
