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
  parameters: Parameter[]
  body?: { $ref: string }
  responses: Record<string, object>
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** One operation of the subset with its compiled validators. */
export interface Operation {
  id: string
  method: string
  match: RegExp
  query: ValidateFunction
  /** `fieldValidation=Strict` (unknown fields refused) and the default (unknown fields dropped). */
  body?: { strict: ValidateFunction; lenient: ValidateFunction; kind: string }
  responses: Record<string, ValidateFunction>
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

/** Every object schema with properties refuses other keys, as the API server's strict decoder does. */
function strictCopy(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(strictCopy)
  if (schema === null || typeof schema !== 'object') return schema
  const out: Record<string, Json> = {}
  for (const [k, v] of Object.entries(schema))
    out[k] =
      k === 'properties'
        ? Object.fromEntries(
            Object.entries(v as Record<string, Json>).map(([p, s]) => [p, strictCopy(s)]),
          )
        : strictCopy(v)
  if ('properties' in schema && !('additionalProperties' in schema))
    out.additionalProperties = false
  return out
}

function compiler(id: string, components: Json): Ajv {
  const ajv = addFormats(
    new Ajv({ allErrors: false, verbose: true, strict: false, coerceTypes: false }),
  )
  ajv.addFormat('int-or-string', true)
  ajv.addSchema({ $id: id, components })
  return ajv
}

/** Where a validation error points, as a Go field path (`spec.template.spec.containers[0].image`). */
export function fieldPath(error: ErrorObject): string {
  const parts: string[] = []
  for (const s of error.instancePath.split('/').filter(Boolean)) {
    if (/^\d+$/.test(s)) parts[parts.length - 1] += `[${s}]`
    else parts.push(s.replaceAll('~1', '/').replaceAll('~0', '~'))
  }
  if (error.keyword === 'additionalProperties')
    parts.push(String((error.params as { additionalProperty: string }).additionalProperty))
  return parts.join('.')
}

/** The subset of the Kubernetes OpenAPI description the driver uses, compiled for validation. */
export class KubernetesOpenApi {
  readonly operations: Operation[]
  readonly source: { module: string; url: string }

  constructor(file = path.join(import.meta.dirname, 'openapi-subset.json')) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      source: { module: string; url: string }
      operations: Record<string, OperationSpec>
      components: Json
    }
    this.source = doc.source
    const lenient = compiler('k8s', doc.components)
    const strict = compiler('k8s', strictCopy(doc.components))
    const coercing = addFormats(new Ajv({ strict: false, coerceTypes: true }))
    const ref = (ajv: Ajv, schema: object) =>
      ajv.compile(
        JSON.parse(
          JSON.stringify(schema).replaceAll('"#/components', '"k8s#/components'),
        ) as object,
      )
    this.operations = Object.entries(doc.operations).map(([id, spec]) => {
      const query = spec.parameters.filter((p) => p.in === 'query')
      const pattern = spec.path.replace(/\{([^}]+)\}/g, '(?<$1>[^/]+)')
      return {
        id,
        method: spec.method,
        match: new RegExp(`^${pattern}$`),
        query: coercing.compile({
          type: 'object',
          properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
          additionalProperties: false,
        }),
        ...(spec.body
          ? {
              body: {
                strict: ref(strict, spec.body),
                lenient: ref(lenient, spec.body),
                kind: spec.body.$ref.split('.').pop()!,
              },
            }
          : {}),
        responses: Object.fromEntries(
          Object.entries(spec.responses).map(([code, schema]) => [code, ref(strict, schema)]),
        ),
      }
    })
  }

  /** The operation for a method and path, with its decoded path parameters. */
  find(
    method: string,
    pathname: string,
  ): { op: Operation; params: Record<string, string> } | undefined {
    for (const op of this.operations) {
      if (op.method !== method) continue
      const groups = op.match.exec(pathname)?.groups
      if (groups)
        return {
          op,
          params: Object.fromEntries(
            Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]),
          ),
        }
    }
    return undefined
  }
}
