/**
 * Extracts the operations this project calls from GitHub's published OpenAPI description
 * (`@octokit/openapi`, ~385 MB, installed outside the repository) into the small
 * `test/doubles/github/openapi-subset.json` the API double validates requests against.
 *
 *   npm install --prefix /tmp/octokit-openapi @octokit/openapi@23.0.2
 *   npx tsx scripts/gen-openapi-subset.ts [/tmp/octokit-openapi]
 *
 * Keeps, per operation: method, path template, documentation URL, path/query parameter schemas and
 * the dereferenced JSON request-body schema, with descriptions, examples and vendor keys removed.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Every REST operation the project sends (or the double must answer for tests). */
export const OPERATIONS = [
  'repos/get',
  'issues/list-comments',
  'issues/create-comment',
  'issues/get-comment',
  'issues/update-comment',
  'issues/delete-comment',
  'reactions/create-for-issue-comment',
  'reactions/list-for-issue-comment',
  'reactions/create-for-pull-request-review-comment',
  'checks/create',
  'checks/update',
  'checks/get',
  'checks/list-for-ref',
  'checks/list-suites-for-ref',
  'repos/create-commit-status',
  'repos/list-commit-statuses-for-ref',
  'repos/create-deployment',
  'repos/list-deployments',
  'repos/get-deployment',
  'repos/create-deployment-status',
  'repos/list-deployment-statuses',
  'actions/create-workflow-dispatch',
  'repos/create-dispatch-event',
  'repos/get-collaborator-permission-level',
  'pulls/get',
  'pulls/list',
  'repos/list-pull-requests-associated-with-commit',
  'repos/get-commit',
  'repos/compare-commits',
  'actions/list-workflow-runs-for-repo',
  'actions/list-workflow-runs',
  'actions/get-workflow-run',
  'actions/cancel-workflow-run',
  'actions/list-workflow-run-artifacts',
  'actions/download-artifact',
] as const

const KEEP = new Set([
  'type',
  'properties',
  'required',
  'items',
  'enum',
  'const',
  'format',
  'nullable',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'additionalProperties',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'maxProperties',
  'minProperties',
  'uniqueItems',
  'default',
])

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function clean(schema: Json, inProperties = false): Json {
  if (Array.isArray(schema)) return schema.map((s) => clean(s))
  if (schema === null || typeof schema !== 'object') return schema
  const out: Record<string, Json> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (inProperties) out[key] = clean(value)
    else if (key === 'properties') out[key] = clean(value, true)
    else if (KEEP.has(key)) out[key] = key === 'enum' || key === 'default' ? value : clean(value)
  }
  return out
}

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema: Json
}

const root = process.argv[2] ?? '/tmp/octokit-openapi'
const file = path.join(root, 'node_modules/@octokit/openapi/generated/api.github.com.deref.json')
const api = JSON.parse(readFileSync(file, 'utf8')) as {
  info: { version: string }
  paths: Record<
    string,
    Record<
      string,
      {
        operationId?: string
        externalDocs?: { url: string }
        parameters?: Parameter[]
        requestBody?: { required?: boolean; content: Record<string, { schema: Json }> }
      }
    >
  >
}

const operations: Record<string, Json> = {}
for (const [template, methods] of Object.entries(api.paths)) {
  for (const [method, op] of Object.entries(methods)) {
    const id = op.operationId
    if (!id || !(OPERATIONS as readonly string[]).includes(id)) continue
    const params = (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query')
    const body = op.requestBody?.content['application/json']?.schema
    operations[id] = {
      method: method.toUpperCase(),
      path: template,
      docs: op.externalDocs?.url ?? 'https://docs.github.com/rest',
      parameters: params.map((p) => ({
        name: p.name,
        in: p.in,
        required: p.required === true,
        schema: clean(p.schema),
      })),
      ...(body ? { body: clean(body), bodyRequired: op.requestBody?.required === true } : {}),
    }
  }
}
const missing = OPERATIONS.filter((id) => !(id in operations))
if (missing.length > 0)
  throw new Error(`operations not found in the description: ${missing.join(', ')}`)

const out = path.resolve(import.meta.dirname, '../test/doubles/github/openapi-subset.json')
writeFileSync(
  out,
  `${JSON.stringify({ source: `@octokit/openapi api.github.com ${api.info.version}`, operations }, null, 1)}\n`,
)
console.log(
  `wrote ${Object.keys(operations).length} operations to ${path.relative(process.cwd(), out)}`,
)
