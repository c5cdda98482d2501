import { describe, expect, it } from 'vitest'
import { resolveMetric } from '../../../src/metrics/registry.js'
import {
  exactMatch,
  normalizeAnswer,
  SQUAD_NORMALIZATION,
} from '../../../src/metrics/exact-match.js'
import { extractNumbers, numericMatch } from '../../../src/metrics/numeric-match.js'
import type { CaseInput, CaseMetric } from '../../../src/metrics/types.js'

const input = (
  prediction: string,
  references: string[] = [],
  vars: Record<string, unknown> = {},
): CaseInput => ({
  prediction,
  references,
  vars,
})
const caseMetric = (spec: Parameters<typeof resolveMetric>[0]) => resolveMetric(spec) as CaseMetric

describe('exact match', () => {
  it('normalises like SQuAD', () => {
    expect(normalizeAnswer('  The  Eiffel-Tower, in PARIS! ', SQUAD_NORMALIZATION)).toBe(
      'eiffeltower in paris',
    )
    expect(normalizeAnswer('an apple a day; thematic', SQUAD_NORMALIZATION)).toBe(
      'apple day thematic',
    )
    expect(exactMatch('The Answer.', ['answer'], SQUAD_NORMALIZATION)).toBe(true)
    expect(exactMatch('The Answer.', ['answer'])).toBe(false)
  })

  it('bare exact is strict and any reference counts', () => {
    const m = caseMetric('exact')
    expect(m.score(input('Paris', ['London', 'Paris']))).toEqual({ exact: true })
    expect(m.score(input('paris', ['Paris']))).toEqual({ exact: false })
    expect(caseMetric({ exact: { normalize: 'squad' } }).score(input('paris.', ['Paris']))).toEqual(
      { exact: true },
    )
  })
})

describe('contains, starts_with, regex with Jinja options', () => {
  it('renders the option per case from vars', () => {
    const m = caseMetric({ contains: '{{ must_mention }}' })
    expect(m.score(input('Call our support line.', [], { must_mention: 'support' }))).toEqual({
      contains: true,
    })
    expect(m.score(input('Call us.', [], { must_mention: 'support' }))).toEqual({ contains: false })
  })

  it('contains all / any and case folding', () => {
    expect(
      caseMetric({ contains: { value: ['a', 'z'], all: false } }).score(input('abc')).contains,
    ).toBe(true)
    expect(caseMetric({ contains: ['a', 'z'] }).score(input('abc')).contains).toBe(false)
    expect(
      caseMetric({ contains: { value: 'ABC', ignore_case: true } }).score(input('xabcx')).contains,
    ).toBe(true)
  })

  it('starts_with ignores leading whitespace', () => {
    expect(caseMetric({ starts_with: 'Yes' }).score(input('  Yes, indeed'))).toEqual({
      starts_with: true,
    })
    expect(caseMetric({ starts_with: '{{ a }}' }).score(input('No', [], { a: 'Yes' }))).toEqual({
      starts_with: false,
    })
  })

  it('regex keeps quantifier braces and can be templated', () => {
    expect(caseMetric({ regex: '^\\d{3}-\\d{4}$' }).score(input('555-1234'))).toEqual({
      regex: true,
    })
    expect(
      caseMetric({ regex: { pattern: 'order {{ id }}', flags: 'i' } }).score(
        input('ORDER 42', [], { id: 42 }),
      ),
    ).toEqual({
      regex: true,
    })
  })
})

describe('JSON checks', () => {
  it('json_valid with and without fence extraction', () => {
    expect(caseMetric('json_valid').score(input('{"a": 1}'))).toEqual({ json_valid: true })
    expect(caseMetric('json_valid').score(input('```json\n{"a": 1}\n```'))).toEqual({
      json_valid: false,
    })
    expect(
      caseMetric({ json_valid: { extract: true } }).score(input('```json\n{"a": 1}\n```')),
    ).toEqual({ json_valid: true })
  })

  it('json_schema conformance with formats', () => {
    const m = caseMetric({
      json_schema: {
        schema: {
          type: 'object',
          required: ['email'],
          properties: { email: { type: 'string', format: 'email' } },
        },
      },
    })
    expect(m.score(input('{"email": "a@example.com"}'))).toEqual({ json_schema: true })
    expect(m.score(input('{"email": "nope"}'))).toEqual({ json_schema: false })
    expect(m.score(input('not json'))).toEqual({ json_schema: false })
  })
})

describe('numeric', () => {
  it('extracts numbers with separators and compares the last one', () => {
    expect(extractNumbers('from 1,234.5 to -3 and 2e3')).toEqual([1234.5, -3, 2000])
    expect(numericMatch('so the answer is 42.', ['42'])).toBe(true)
    expect(numericMatch('41.9', ['42'], { absTolerance: 0.2 })).toBe(true)
    expect(numericMatch('105', ['100'], { relTolerance: 0.01 })).toBe(false)
    expect(numericMatch('no number', ['1'])).toBe(false)
  })
})
