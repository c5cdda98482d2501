import type { PiiFinding, PiiKind } from '../types.js'
import {
  cardNetwork,
  ibanValid,
  jwtHeaderValid,
  luhnValid,
  ninoValid,
  spanishIdValid,
  ssnValid,
} from './validators.js'

export interface PiiOptions {
  /** Also report public IPv4 addresses (off by default: version strings look alike). */
  ipAddresses?: boolean
}

interface Detector {
  kind: PiiKind
  detail: string
  pattern: RegExp
  /** Returns false to reject a regex match (checksum, reserved range). */
  accept?: (match: RegExpExecArray) => boolean
}

// Boundaries: a match must not be glued to letters/digits on either side.
const NB = String.raw`(?<![\p{L}\p{N}_])`
const NA = String.raw`(?![\p{L}\p{N}_])`

/** RFC 2606 / 6761 reserved names: placeholders, not anyone's address. */
const RESERVED_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$/i

const DETECTORS: readonly Detector[] = [
  {
    kind: 'secret',
    detail: 'private_key',
    pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    kind: 'secret',
    detail: 'aws_access_key_id',
    pattern: new RegExp(`${NB}(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}${NA}`, 'gu'),
  },
  {
    kind: 'secret',
    detail: 'github_token',
    pattern: new RegExp(`${NB}gh[pousr]_[A-Za-z0-9]{36}${NA}`, 'gu'),
  },
  {
    kind: 'secret',
    detail: 'github_pat',
    pattern: new RegExp(`${NB}github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}${NA}`, 'gu'),
  },
  {
    kind: 'secret',
    detail: 'slack_token',
    pattern: new RegExp(`${NB}xox[abposr]-[A-Za-z0-9]{8,}(?:-[A-Za-z0-9]{4,})+${NA}`, 'gu'),
  },
  {
    kind: 'secret',
    detail: 'slack_webhook',
    pattern:
      /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,}/g,
  },
  {
    kind: 'secret',
    detail: 'google_api_key',
    pattern: new RegExp(`${NB}AIza[0-9A-Za-z_-]{35}${NA}`, 'gu'),
  },
  {
    kind: 'secret',
    detail: 'stripe_key',
    pattern: new RegExp(`${NB}(?:sk|rk)_live_[0-9A-Za-z]{24,}${NA}`, 'gu'),
  },
  {
    kind: 'secret',
    detail: 'openai_key',
    pattern: new RegExp(`${NB}sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}${NA}`, 'gu'),
    // Real keys mix letters and digits; `sk-this-is-not-a-key-at-all` does not.
    accept: (m) => /\d/.test(m[0].slice(3)) && /[A-Za-z]/.test(m[0].slice(3)),
  },
  {
    kind: 'secret',
    detail: 'jwt',
    pattern: new RegExp(
      `${NB}(eyJ[A-Za-z0-9_-]{8,})\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}${NA}`,
      'gu',
    ),
    accept: (m) => jwtHeaderValid(m[1]!),
  },
  {
    kind: 'credit_card',
    detail: 'card',
    pattern: new RegExp(`${NB}\\d(?:[ -]?\\d){11,18}${NA}`, 'gu'),
    accept: (m) => {
      const seps = m[0].match(/[ -]/g) ?? []
      if (new Set(seps).size > 1) return false
      const digits = m[0].replace(/[ -]/g, '')
      return cardNetwork(digits) !== null && luhnValid(digits) && !/^(\d)\1+$/.test(digits)
    },
  },
  {
    kind: 'iban',
    detail: 'iban',
    pattern: new RegExp(`${NB}[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?${NA}`, 'gu'),
    accept: (m) => ibanValid(m[0].replace(/ /g, '')),
  },
  {
    kind: 'national_id',
    detail: 'us_ssn',
    pattern: new RegExp(`${NB}(\\d{3})([- ])(\\d{2})\\2(\\d{4})${NA}`, 'gu'),
    accept: (m) => ssnValid(m[1]!, m[3]!, m[4]!),
  },
  {
    kind: 'national_id',
    detail: 'uk_nino',
    pattern: new RegExp(
      `${NB}([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]${NA}`,
      'gu',
    ),
    accept: (m) => ninoValid(m[1]!),
  },
  {
    kind: 'national_id',
    detail: 'es_dni',
    pattern: new RegExp(`${NB}[XYZ]?\\d{7,8}-?[A-Z]${NA}`, 'gu'),
    accept: (m) => spanishIdValid(m[0].replace('-', '')),
  },
  {
    kind: 'email',
    detail: 'email',
    pattern: new RegExp(
      `${NB}[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24})${NA}`,
      'gu',
    ),
    accept: (m) => !RESERVED_DOMAIN.test(m[1]!) && !m[0].startsWith('.'),
  },
  {
    kind: 'phone',
    detail: 'e164',
    pattern: new RegExp(
      `(?<![\\p{L}\\p{N}_+])\\+[1-9]\\d{0,3}(?:[ .-]?\\(?\\d{1,4}\\)?){2,5}${NA}`,
      'gu',
    ),
    accept: (m) => {
      const digits = m[0].replace(/\D/g, '').length
      return digits >= 8 && digits <= 15
    },
  },
  {
    kind: 'phone',
    detail: 'nanp',
    // (415) 555-2671, 415-555-2671, 415.555.2671: one separator style; dates (2024-01-15) have 4-2-2 groups.
    pattern: new RegExp(`${NB}(?:\\(\\d{3}\\) ?|\\d{3}([-. ]))\\d{3}([-. ])\\d{4}${NA}`, 'gu'),
    accept: (m) => (m[1] === undefined || m[1] === m[2]) && !/^[01]/.test(m[0].replace(/\D/g, '')),
  },
  {
    kind: 'phone',
    detail: 'uk',
    pattern: new RegExp(
      `${NB}0(?:\\d{2} ?\\d{4} ?\\d{4}|\\d{3} ?\\d{3} ?\\d{4}|\\d{4} ?\\d{6}|7\\d{3} ?\\d{6})${NA}`,
      'gu',
    ),
    accept: (m) => /\s/.test(m[0]),
  },
]

const IPV4: Detector = {
  kind: 'ip_address',
  detail: 'ipv4',
  pattern: new RegExp(
    `${NB}(?<!\\d\\.)((?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})(?!\\.\\d)${NA}`,
    'gu',
  ),
  accept: (m) => {
    const [a, b] = m[1]!.split('.').map(Number) as [number, number]
    // Private, loopback, link-local and documentation ranges identify no one.
    return !(
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224 ||
      m[1]!.startsWith('192.0.2.') ||
      m[1]!.startsWith('198.51.100.') ||
      m[1]!.startsWith('203.0.113.')
    )
  },
}

/**
 * Finds emails, phone numbers, payment cards (Luhn + issuer prefix), IBANs (mod 97), national ids
 * (US SSN, UK NINO, Spanish DNI/NIE, each validated), and API keys/tokens by their published formats.
 * Spans are `[start, end)` in UTF-16 code units; overlapping findings keep the earlier detector's
 * (secrets first, phones last), so a card number is not also reported as a phone.
 */
export function detectPii(text: string, options: PiiOptions = {}): PiiFinding[] {
  const found: PiiFinding[] = []
  const overlaps = (s: number, e: number) => found.some((f) => s < f.span[1] && f.span[0] < e)
  const detectors = options.ipAddresses ? [...DETECTORS, IPV4] : DETECTORS
  for (const d of detectors) {
    d.pattern.lastIndex = 0
    for (let m = d.pattern.exec(text); m; m = d.pattern.exec(text)) {
      const start = m.index
      const end = start + m[0].length
      if (overlaps(start, end) || (d.accept && !d.accept(m))) continue
      found.push({ kind: d.kind, span: [start, end], detail: d.detail })
    }
  }
  return found.sort((a, b) => a.span[0] - b.span[0])
}
