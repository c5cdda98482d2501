/**
 * Cuts the official Kubernetes OpenAPI v3 description down to the operations the Kubernetes job
 * target calls, for the API double in `test/doubles/kubernetes/`. The description ships in the
 * `k8s.io/kubernetes` Go module (`api/openapi-spec/v3/`), fetched from the Go module proxy:
 *
 *   curl -sSfL https://proxy.golang.org/k8s.io/kubernetes/@v/v1.37.2.zip -o /tmp/k8s.zip
 *   npx tsx scripts/gen-kubernetes-openapi-subset.ts /tmp/k8s.zip
 *
 * Keeps, per operation: method, path template, path/query parameters (path-level ones merged in),
 * the JSON request-body and response schemas; and every component schema they reference,
 * transitively, without descriptions or vendor (`x-kubernetes-*`) keys.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'

/** The operations the driver sends, by the description's operationId. */
export const OPERATIONS = [
  'createBatchV1NamespacedJob',
  'readBatchV1NamespacedJob',
  'deleteBatchV1NamespacedJob',
  'listCoreV1NamespacedPod',
  'readCoreV1NamespacedPodLog',
] as const

const FILES = ['apis__batch__v1_openapi.json', 'api__v1_openapi.json']

const KEEP = new Set([
  '$ref',
  'type',
  'properties',
  'required',
  'items',
  'enum',
  'format',
  'oneOf',
  'anyOf',
  'allOf',
  'additionalProperties',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'default',
])

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

function clean(schema: Json, inProperties = false): Json {
  if (Array.isArray(schema)) return schema.map((s) => clean(s))
  if (schema === null || typeof schema !== 'object') return schema
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(schema)) {
    if (inProperties) out[key] = clean(value)
    else if (key === 'properties') out[key] = clean(value, true)
    else if (KEEP.has(key)) out[key] = key === 'enum' || key === 'default' ? value : clean(value)
  }
  return out
}

function refsOf(schema: Json, into: Set<string>): void {
  if (Array.isArray(schema)) for (const s of schema) refsOf(s, into)
  else if (schema !== null && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string')
        into.add(value.replace('#/components/schemas/', ''))
      else refsOf(value, into)
    }
  }
}

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema: Json
}
interface OperationObject {
  operationId?: string
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> }
  responses?: Record<string, { content?: Record<string, { schema: Json }> }>
}
interface Description {
  paths: Record<string, Record<string, OperationObject | Parameter[]>>
  components: { schemas: Record<string, Json> }
}

const zipPath = process.argv[2] ?? '/tmp/k8s.zip'
const zipBytes = readFileSync(zipPath)
const entries = unzipSync(zipBytes, {
  filter: (f) => FILES.some((name) => f.name.endsWith(`/api/openapi-spec/v3/${name}`)),
})
const names = Object.keys(entries)
const version = /^k8s\.io\/kubernetes@(v[^/]+)\//.exec(names[0] ?? '')?.[1]
if (!version || names.length !== FILES.length)
  throw new Error(`${zipPath}: expected ${FILES.join(', ')} under k8s.io/kubernetes@<version>/`)

const operations: Record<string, Json> = {}
const schemas: Record<string, Json> = {}
const wanted = new Set<string>()
for (const name of names) {
  const doc = JSON.parse(new TextDecoder().decode(entries[name])) as Description
  for (const [template, item] of Object.entries(doc.paths)) {
    const shared = (item.parameters ?? []) as Parameter[]
    for (const [method, value] of Object.entries(item)) {
      if (method === 'parameters') continue
      const op = value as OperationObject
      const id = op.operationId
      if (!id || !(OPERATIONS as readonly string[]).includes(id)) continue
      const params = [...shared, ...(op.parameters ?? [])].filter(
        (p) => p.in === 'path' || p.in === 'query',
      )
      const body = op.requestBody?.content['*/*']?.schema
      const responses: JsonObject = {}
      for (const [code, r] of Object.entries(op.responses ?? {})) {
        const schema = r.content?.['application/json']?.schema
        if (schema) responses[code] = clean(schema)
      }
      const entry: JsonObject = {
        method: method.toUpperCase(),
        path: template,
        parameters: params.map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          schema: clean(p.schema),
        })),
        ...(body ? { body: clean(body), bodyRequired: op.requestBody?.required === true } : {}),
        responses,
      }
      refsOf(entry, wanted)
      operations[id] = entry
    }
  }
  for (const [key, schema] of Object.entries(doc.components.schemas)) {
    const cleaned = clean(schema)
    const seen = schemas[key]
    if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(cleaned))
      throw new Error(`${key} differs between the two description files`)
    schemas[key] = cleaned
  }
}
const missing = OPERATIONS.filter((id) => !(id in operations))
if (missing.length > 0) throw new Error(`operations not found: ${missing.join(', ')}`)

const kept: Record<string, Json> = {}
const queue = [...wanted]
while (queue.length > 0) {
  const key = queue.pop()!
  if (key in kept) continue
  const schema = schemas[key]
  if (schema === undefined) throw new Error(`unresolved $ref ${key}`)
  kept[key] = schema
  const more = new Set<string>()
  refsOf(schema, more)
  queue.push(...[...more].filter((k) => !(k in kept)))
}

const url = `https://proxy.golang.org/k8s.io/kubernetes/@v/${version}.zip`
const out = path.resolve(import.meta.dirname, '../test/doubles/kubernetes/openapi-subset.json')
const sorted = Object.fromEntries(Object.entries(kept).sort(([a], [b]) => a.localeCompare(b)))
writeFileSync(
  out,
  `${JSON.stringify(
    {
      source: {
        module: `k8s.io/kubernetes@${version}`,
        files: FILES.map((f) => `api/openapi-spec/v3/${f}`),
        url,
        sha256: createHash('sha256').update(zipBytes).digest('hex'),
      },
      operations,
      components: { schemas: sorted },
    },
    null,
    1,
  )}\n`,
)
console.log(
  `wrote ${Object.keys(operations).length} operations and ${Object.keys(kept).length} schemas from ${version} to ${path.relative(process.cwd(), out)}`,
)
