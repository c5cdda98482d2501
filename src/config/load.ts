import { readFile } from 'node:fs/promises'
import path from 'node:path'
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
  type Pair,
} from 'yaml'
import type { z } from 'zod'
import { didYouMean } from '../core/did-you-mean.js'
import { ConfigurationError } from '../errors.js'
import { configSchema, type Config } from './schema.js'

/** A loaded configuration with the facts other parts record in provenance. */
export interface LoadedConfig {
  config: Config
  file: string
  /** Directory against which dataset paths are resolved. */
  dir: string
  /** The file's raw text (for the config hash in provenance). */
  text: string
}

type Env = Readonly<Record<string, string | undefined>>

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\$\{/g

/**
 * Replaces `${VAR}` (or `${VAR:-default}`) in a string from the process environment; `$${` escapes.
 * Returns the names of unset variables instead of silently leaving them.
 */
export function interpolate(text: string, env: Env): { value: string; missing: string[] } {
  const missing: string[] = []
  const value = text.replace(
    VAR,
    (match, name: string | undefined, fallback: string | undefined) => {
      if (match === '$${') return '${'
      const v = env[name!]
      if (v !== undefined && v !== '') return v
      if (fallback !== undefined) return fallback
      missing.push(name!)
      return match
    },
  )
  return { value, missing }
}

function position(lc: LineCounter, offset: number | undefined): string {
  if (offset === undefined) return '1:1'
  const { line, col } = lc.linePos(offset)
  return `${line}:${col}`
}

function keyPath(p: readonly PropertyKey[]): string {
  if (p.length === 0) return '(top level)'
  return p
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('')
}

/** The YAML node at a key path, or the deepest existing ancestor. */
function nodeAt(doc: Document, p: readonly PropertyKey[]): { node: Node | undefined; pair?: Pair } {
  let node: unknown = doc.contents
  let pair: Pair | undefined
  for (const key of p) {
    if (isMap(node)) {
      const found = node.items.find(
        (it) => isScalar(it.key) && String(it.key.value) === String(key),
      )
      if (!found) break
      pair = found
      node = found.value
    } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
      pair = undefined
      node = node.items[key]
    } else break
  }
  return { node: node as Node | undefined, ...(pair ? { pair } : {}) }
}

function keyOffset(doc: Document, p: readonly PropertyKey[], key: string): number | undefined {
  const { node } = nodeAt(doc, p)
  if (isMap(node)) {
    const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === key)
    if (pair && isScalar(pair.key)) return pair.key.range?.[0]
  }
  return node?.range?.[0]
}

function allowedKeys(schema: z.ZodType, p: readonly PropertyKey[]): string[] {
  // Walk the zod schema along the path to list the keys an object there accepts.
  let s: unknown = schema
  const unwrap = (x: unknown): unknown => {
    let cur = x as {
      def?: {
        type?: string
        innerType?: unknown
        in?: unknown
        schema?: unknown
        valueType?: unknown
        element?: unknown
      }
    }
    for (let i = 0; i < 10 && cur?.def; i++) {
      const d = cur.def
      if (
        d.type === 'optional' ||
        d.type === 'default' ||
        d.type === 'nullable' ||
        d.type === 'prefault'
      )
        cur = d.innerType as typeof cur
      else if (d.type === 'pipe') cur = d.in as typeof cur
      else break
    }
    return cur
  }
  for (const k of p) {
    const cur = unwrap(s) as {
      def?: {
        type?: string
        shape?: Record<string, unknown>
        element?: unknown
        valueType?: unknown
        options?: unknown[]
      }
    }
    const d = cur?.def
    if (!d) return []
    if (d.type === 'object' && d.shape) s = d.shape[String(k)]
    else if (d.type === 'array') s = d.element
    else if (d.type === 'record') s = d.valueType
    else return []
  }
  const cur = unwrap(s) as {
    def?: { type?: string; shape?: Record<string, unknown>; options?: unknown[] }
  }
  if (cur?.def?.type === 'object' && cur.def.shape) return Object.keys(cur.def.shape)
  if (cur?.def?.type === 'union' && cur.def.options) {
    return [
      ...new Set(
        cur.def.options.flatMap((o) => {
          const oo = unwrap(o) as { def?: { type?: string; shape?: Record<string, unknown> } }
          return oo?.def?.type === 'object' && oo.def.shape ? Object.keys(oo.def.shape) : []
        }),
      ),
    ]
  }
  return []
}

function typeName(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${JSON.stringify(value)}`
}

function valueAt(raw: unknown, p: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let cur: unknown = raw
  for (const key of p) {
    if (cur === null || typeof cur !== 'object' || !(String(key) in cur))
      return { found: false, value: undefined }
    cur = (cur as Record<string, unknown>)[String(key)]
  }
  return { found: true, value: cur }
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const { found, value } = valueAt(raw, issue.path)
  if (
    !found &&
    issue.path.length > 0 &&
    (issue.code === 'invalid_type' || issue.code === 'invalid_value')
  ) {
    const expected =
      issue.code === 'invalid_value'
        ? issue.values.map((v) => JSON.stringify(v)).join(' or ')
        : issue.expected
    return `required key is missing (expected ${expected})`
  }
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${typeName(value)}`
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}, got ${typeName(value)}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; got ${typeName(value)}`
    case 'too_small':
      return issue.origin === 'array'
        ? `must have at least ${issue.minimum} item(s)`
        : issue.origin === 'string'
          ? `must be at least ${issue.minimum} character(s)`
          : `must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}, got ${typeName(value)}`
    case 'too_big':
      return issue.origin === 'array'
        ? `must have at most ${issue.maximum} item(s)`
        : issue.origin === 'string'
          ? `must be at most ${issue.maximum} character(s)`
          : `must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}, got ${typeName(value)}`
    case 'invalid_key':
      return `invalid key: ${issue.issues.map((i) => i.message).join('; ')}`
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator)
        return `${issue.message}; got ${typeName(value)}`
      return issue.message
    default:
      return issue.message
  }
}

/** Parses and validates configuration text; every problem is reported at once, each with file:line:col and key path. */
export function parseConfig(text: string, file: string, env: Env): Config {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true })
  const problems: string[] = []
  for (const err of doc.errors) {
    problems.push(
      `${file}:${position(lc, err.pos[0])}: YAML syntax error: ${err.message.split('\n')[0]}`,
    )
  }
  if (problems.length) throw new ConfigurationError(problems[0]!, problems)

  visit(doc, {
    Scalar(_key, node, ancestry) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return
      const { value, missing } = interpolate(node.value, env)
      const p: PropertyKey[] = []
      let parent: unknown = doc.contents
      for (const a of ancestry) {
        if (isMap(parent) && a && typeof a === 'object' && 'key' in a) {
          const k = a.key
          p.push(isScalar(k) ? String(k.value) : '?')
        } else if (isSeq(parent)) {
          p.push(parent.items.indexOf(a))
        }
        parent = a && typeof a === 'object' && 'value' in a && !isScalar(a) ? a.value : a
      }
      for (const name of missing) {
        problems.push(
          `${file}:${position(lc, node.range?.[0])}: ${keyPath(p)}: environment variable ${name} is not set (use \${${name}:-default} for a default)`,
        )
      }
      node.value = value
    },
  })
  if (problems.length) throw new ConfigurationError(problems[0]!, problems)

  const raw: unknown = doc.toJS() ?? {}
  const result = configSchema.safeParse(raw)
  if (result.success) return result.data
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(configSchema, issue.path)
      for (const key of issue.keys) {
        const guess = didYouMean(key, allowed)
        problems.push(
          `${file}:${position(lc, keyOffset(doc, issue.path, key))}: ${keyPath([...issue.path, key])}: unknown key.` +
            (guess ? ` Did you mean '${guess}'?` : '') +
            (allowed.length ? ` Allowed: ${allowed.join(', ')}` : ''),
        )
      }
      continue
    }
    const { node, pair } = nodeAt(doc, issue.path)
    const offset =
      node?.range?.[0] ?? (pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined)
    problems.push(
      `${file}:${position(lc, offset)}: ${keyPath(issue.path)}: ${describeIssue(issue, raw)}`,
    )
  }
  throw new ConfigurationError(problems[0]!, problems)
}

/** Reads, interpolates and validates a configuration file. A missing file is a ConfigurationError. */
export async function loadConfig(
  file: string,
  env: Env,
  cwd = process.cwd(),
): Promise<LoadedConfig> {
  const abs = path.resolve(cwd, file)
  let text: string
  try {
    text = await readFile(abs, 'utf8')
  } catch {
    throw new ConfigurationError(
      `${file}: configuration file not found (pass --config or create .github/llmops.yml)`,
    )
  }
  const rel = path.relative(cwd, abs) || file
  return { config: parseConfig(text, rel, env), file: abs, dir: path.dirname(abs), text }
}
