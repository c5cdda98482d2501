import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

interface Parameter {
  name: string
  in: 'path' | 'query'
  required: boolean
  schema: object
}

interface OperationSpec {
  method: string
  path: string
  docs: string
  parameters: Parameter[]
  body?: object
  bodyRequired?: boolean
}

/** One operation of the subset with its compiled validators. */
export interface Operation {
  id: string
  method: string
  template: string
  docs: string
  match: RegExp
  validatePath: ValidateFunction
  validateQuery: ValidateFunction
  validateBody: ValidateFunction | undefined
  bodyRequired: boolean
}

/** A request the description forbids, answered the way GitHub answers it. */
export interface Rejection {
  status: number
  body: Record<string, unknown>
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

function templateToRegExp(template: string): RegExp {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1]
      return name ? `(?<${name}>[^/]+?)` : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    })
    .join('')
  return new RegExp(`^${pattern}$`)
}

function paramSchema(params: Parameter[]): object {
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? 'an' : 'a')

/** GitHub's "Invalid request" wording for one schema violation (JSON-schema based validation). */
function describe(error: ErrorObject): string {
  const segments = error.instancePath.split('/').filter(Boolean)
  const where =
    segments.map((s) => (/^\d+$/.test(s) ? 'items' : `properties/${s}`)).join('/') || 'root'
  const value = JSON.stringify(error.data)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `"${String(params.missingProperty)}" wasn't supplied.`
    case 'type':
      return `For '${where}', ${value} is not ${article(String(params.type))} ${String(params.type)}.`
    case 'enum':
      return `For '${where}', ${value} is not one of ${JSON.stringify(params.allowedValues)}.`
    case 'additionalProperties':
      return `"${String(params.additionalProperty)}" is not a permitted key.`
    case 'maxLength':
      return `For '${where}', Only ${String(params.limit)} characters are allowed; ${String((error.data as string).length)} were supplied.`
    case 'maxItems':
    case 'maxProperties':
      return `For '${where}', Only ${String(params.limit)} items are allowed; ${String(Object.keys(error.data as object).length)} were supplied.`
    default:
      return `For '${where}', ${value} ${error.message ?? 'is invalid'}.`
  }
}

/** The subset of GitHub's OpenAPI description the project uses, compiled for request validation. */
export class OpenApiSubset {
  readonly operations: Operation[]

  constructor(file = path.join(import.meta.dirname, 'openapi-subset.json')) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      operations: Record<string, OperationSpec>
    }
    const strict = addFormats(new Ajv({ allErrors: false, verbose: true, strict: false }))
    const coercing = addFormats(
      new Ajv({ allErrors: false, verbose: true, strict: false, coerceTypes: true }),
    )
    this.operations = Object.entries(doc.operations).map(([id, spec]) => ({
      id,
      method: spec.method,
      template: spec.path,
      docs: spec.docs,
      match: templateToRegExp(spec.path),
      validatePath: coercing.compile(paramSchema(spec.parameters.filter((p) => p.in === 'path'))),
      validateQuery: coercing.compile(paramSchema(spec.parameters.filter((p) => p.in === 'query'))),
      validateBody: spec.body ? strict.compile(spec.body) : undefined,
      bodyRequired: spec.bodyRequired === true,
    }))
  }

  /** The operation for a method and path; `undefined` when no path matches (GitHub answers 404). */
  find(
    method: string,
    pathname: string,
  ): { op: Operation; params: Record<string, unknown> } | undefined {
    for (const op of this.operations) {
      if (op.method !== method) continue
      const groups = op.match.exec(pathname)?.groups
      if (!groups) continue
      const params: Record<string, unknown> = Object.fromEntries(
        Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]),
      )
      // A path parameter of the wrong type (e.g. a non-numeric id) is a 404 on GitHub.
      if (!op.validatePath(params)) continue
      return { op, params }
    }
    return undefined
  }

  /** Validates the query (coerced in place) and the JSON body; returns GitHub's 422 when invalid. */
  check(op: Operation, query: Record<string, unknown>, body: unknown): Rejection | undefined {
    if (!op.validateQuery(query)) return invalid(op, describe(op.validateQuery.errors![0]!))
    if (!op.validateBody) return undefined
    if (body === undefined) {
      return op.bodyRequired ? invalid(op, 'Invalid input: object is missing.') : undefined
    }
    if (!op.validateBody(body)) return invalid(op, describe(op.validateBody.errors![0]!))
    return undefined
  }
}

function invalid(op: Operation, detail: string): Rejection {
  return {
    status: 422,
    body: { message: `Invalid request.\n\n${detail}`, documentation_url: op.docs, status: '422' },
  }
}
