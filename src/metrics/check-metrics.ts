import { readFileSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { z } from 'zod'
import { exactMatch, SQUAD_NORMALIZATION, type ExactMatchOptions } from './exact-match.js'
import { checkJsonSchema, compileSchema, parseJsonAnswer } from './json-checks.js'
import { numericMatch } from './numeric-match.js'
import { templatedString } from './template-option.js'
import type { CaseMetric } from './types.js'

const named = { name: z.string().min(1).optional() }

export const exactOptionsSchema = z.strictObject({
  ...named,
  normalize: z.enum(['none', 'squad']).optional(),
  ignore_case: z.boolean().optional(),
  ignore_punctuation: z.boolean().optional(),
  ignore_articles: z.boolean().optional(),
  ignore_whitespace: z.boolean().optional(),
})

/** Exact match against any reference; `normalize: squad` = SQuAD's normalize_answer. */
export function exactMetric(spec: z.infer<typeof exactOptionsSchema>): CaseMetric {
  const name = spec.name ?? 'exact'
  const base: ExactMatchOptions = spec.normalize === 'squad' ? { ...SQUAD_NORMALIZATION } : {}
  if (spec.ignore_case !== undefined) base.ignoreCase = spec.ignore_case
  if (spec.ignore_punctuation !== undefined) base.ignorePunctuation = spec.ignore_punctuation
  if (spec.ignore_articles !== undefined) base.ignoreArticles = spec.ignore_articles
  if (spec.ignore_whitespace !== undefined) base.ignoreWhitespace = spec.ignore_whitespace
  const flags = Object.entries(base)
    .filter(([, v]) => v)
    .map(([k]) => k)
  return {
    kind: 'case',
    name,
    definition: `exact|any-reference|${flags.length ? flags.join(',') : 'no-normalization'}`,
    score: (input) => ({ [name]: exactMatch(input.prediction, input.references, base) }),
  }
}

const textValue = z.union([z.string(), z.array(z.string()).min(1)])

export const containsOptionsSchema = z.union([
  textValue,
  z.strictObject({
    ...named,
    value: textValue,
    ignore_case: z.boolean().optional(),
    all: z.boolean().optional(),
  }),
])

/** Whether the answer contains the (templated) text, or all/any of several. */
export function containsMetric(raw: z.infer<typeof containsOptionsSchema>): CaseMetric {
  const spec = typeof raw === 'string' || Array.isArray(raw) ? { value: raw } : raw
  const name = ('name' in spec ? spec.name : undefined) ?? 'contains'
  const values = ([] as string[]).concat(spec.value).map(templatedString)
  const ignoreCase = 'ignore_case' in spec ? (spec.ignore_case ?? false) : false
  const all = 'all' in spec ? (spec.all ?? true) : true
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s)
  return {
    kind: 'case',
    name,
    definition: `contains|${all ? 'all' : 'any'}|case:${ignoreCase ? 'insensitive' : 'sensitive'}|${JSON.stringify(values.map((v) => v.source))}`,
    score: (input) => {
      const p = fold(input.prediction)
      const hits = values.map((v) => p.includes(fold(v.render(input.vars))))
      return { [name]: all ? hits.every(Boolean) : hits.some(Boolean) }
    },
  }
}

export const startsWithOptionsSchema = z.union([
  z.string(),
  z.strictObject({ ...named, value: z.string(), ignore_case: z.boolean().optional() }),
])

/** Whether the answer (leading whitespace ignored) starts with the (templated) text. */
export function startsWithMetric(raw: z.infer<typeof startsWithOptionsSchema>): CaseMetric {
  const spec = typeof raw === 'string' ? { value: raw } : raw
  const name = ('name' in spec ? spec.name : undefined) ?? 'starts_with'
  const value = templatedString(spec.value)
  const ignoreCase = 'ignore_case' in spec ? (spec.ignore_case ?? false) : false
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s)
  return {
    kind: 'case',
    name,
    definition: `starts_with|case:${ignoreCase ? 'insensitive' : 'sensitive'}|${JSON.stringify(value.source)}`,
    score: (input) => ({
      [name]: fold(input.prediction.trimStart()).startsWith(fold(value.render(input.vars))),
    }),
  }
}

export const regexOptionsSchema = z.union([
  z.string(),
  z.strictObject({
    ...named,
    pattern: z.string(),
    flags: z
      .string()
      .regex(/^[imsu]*$/)
      .optional(),
  }),
])

/** Whether a (templated) JavaScript regular expression matches anywhere in the answer. */
export function regexMetric(raw: z.infer<typeof regexOptionsSchema>): CaseMetric {
  const spec = typeof raw === 'string' ? { pattern: raw } : raw
  const name = ('name' in spec ? spec.name : undefined) ?? 'regex'
  const flags = ('flags' in spec ? spec.flags : undefined) ?? ''
  const pattern = templatedString(spec.pattern)
  const fixed = pattern.render({}) === spec.pattern ? new RegExp(spec.pattern, flags) : undefined
  return {
    kind: 'case',
    name,
    definition: `regex|js|/${spec.pattern}/${flags}`,
    score: (input) => ({
      [name]: (fixed ?? new RegExp(pattern.render(input.vars), flags)).test(input.prediction),
    }),
  }
}

export const jsonValidOptionsSchema = z.strictObject({ ...named, extract: z.boolean().optional() })

/** Whether the answer parses as JSON (optionally the body of one ``` fence). */
export function jsonValidMetric(spec: z.infer<typeof jsonValidOptionsSchema>): CaseMetric {
  const name = spec.name ?? 'json_valid'
  const extract = spec.extract ?? false
  return {
    kind: 'case',
    name,
    definition: `json_valid|extract:${extract}`,
    score: (input) => ({ [name]: parseJsonAnswer(input.prediction, extract) !== undefined }),
  }
}

export const jsonSchemaOptionsSchema = z.strictObject({
  ...named,
  schema: z
    .union([z.record(z.string(), z.unknown()), z.string().min(1)])
    .describe('A JSON Schema, or a path to one relative to the config file.'),
  extract: z.boolean().optional(),
})

/** Whether the answer is JSON conforming to a JSON Schema (ajv, all formats). */
export function jsonSchemaMetric(
  spec: z.infer<typeof jsonSchemaOptionsSchema>,
  configDir: string,
): CaseMetric {
  const name = spec.name ?? 'json_schema'
  const schema =
    typeof spec.schema === 'string'
      ? (JSON.parse(readFileSync(resolvePath(configDir, spec.schema), 'utf8')) as Record<
          string,
          unknown
        >)
      : spec.schema
  const validate = compileSchema(schema)
  const extract = spec.extract ?? false
  return {
    kind: 'case',
    name,
    definition: `json_schema|ajv|extract:${extract}|${JSON.stringify(schema)}`,
    score: (input) => ({ [name]: checkJsonSchema(input.prediction, validate, extract).valid }),
  }
}

export const numericOptionsSchema = z.strictObject({
  ...named,
  abs_tolerance: z.number().min(0).optional(),
  rel_tolerance: z.number().min(0).optional(),
  pick: z.enum(['last', 'first']).optional(),
})

/** Whether the answer's last (or first) number is within tolerance of a reference's number. */
export function numericMetric(spec: z.infer<typeof numericOptionsSchema>): CaseMetric {
  const name = spec.name ?? 'numeric'
  const o = {
    absTolerance: spec.abs_tolerance ?? 1e-6,
    relTolerance: spec.rel_tolerance ?? 0,
    pick: spec.pick ?? 'last',
  } as const
  return {
    kind: 'case',
    name,
    definition: `numeric|pick:${o.pick}|abs:${o.absTolerance}|rel:${o.relTolerance}`,
    score: (input) => ({ [name]: numericMatch(input.prediction, input.references, o) }),
  }
}
