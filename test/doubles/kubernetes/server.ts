import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { fieldPath, KubernetesOpenApi } from './openapi.js'
import { KubernetesState } from './state.js'
import { handleOperation, statusFailure, type Reply } from './routes.js'
import { badQuantity, QUANTITY_PATTERN } from './validate-job.js'

export { KubernetesState } from './state.js'
export { statusFailure } from './routes.js'
export type { Autopilot, JobObject, PodRecord } from './state.js'
export { createTestPki, type TestPki } from './tls.js'

/** The bearer token the double accepts unless told otherwise. */
export const DEFAULT_TOKEN = 'k8s-double-token'
export const DEFAULT_USER = 'system:serviceaccount:ci:llmops'

export interface KubernetesDoubleOptions {
  /** Bearer tokens and the user each one authenticates. */
  tokens?: Record<string, string>
  /** Namespaces that exist besides `default`. */
  namespaces?: string[]
  /** Serve HTTPS with this certificate; client certificates signed by `ca` authenticate as their CN. */
  tls?: { cert: string; key: string; ca: string }
  /** RBAC refusals, e.g. `create jobs`, `list pods`, `get pods/log`. */
  forbid?: string[]
  /** When set, only these (`create jobs`, ...) are allowed, like a Role bound to the user. */
  allow?: string[]
}

export interface KubernetesDouble {
  url: string
  state: KubernetesState
  api: KubernetesOpenApi
  close(): Promise<void>
}

type Obj = Record<string, unknown>

const VERB: Record<string, [string, string, string]> = {
  createBatchV1NamespacedJob: ['create', 'jobs', 'batch'],
  readBatchV1NamespacedJob: ['get', 'jobs', 'batch'],
  deleteBatchV1NamespacedJob: ['delete', 'jobs', 'batch'],
  listCoreV1NamespacedPod: ['list', 'pods', ''],
  readCoreV1NamespacedPodLog: ['get', 'pods/log', ''],
}

let openapi: KubernetesOpenApi | undefined

/**
 * Starts a stateful Kubernetes API double on 127.0.0.1 for the Job target: createNamespacedJob,
 * readNamespacedJob, deleteNamespacedJob, listNamespacedPod and readNamespacedPodLog. Every request
 * is checked against the official OpenAPI description (`openapi-subset.json`): path and query
 * parameters, and the body against `io.k8s.api.batch.v1.Job` / `DeleteOptions` (with
 * `fieldValidation=Strict`, unknown fields are refused as the API server's strict decoder does);
 * every response it sends is checked against the description too. Errors are `Status` objects.
 */
export async function startKubernetesDouble(
  options: KubernetesDoubleOptions = {},
): Promise<KubernetesDouble> {
  openapi ??= new KubernetesOpenApi()
  const api = openapi
  const state = new KubernetesState()
  for (const ns of options.namespaces ?? []) state.namespaces.add(ns)
  const tokens: Record<string, string> = { [DEFAULT_TOKEN]: DEFAULT_USER, ...options.tokens }
  const forbid = new Set(options.forbid ?? [])
  const allow = options.allow ? new Set(options.allow) : undefined

  const route = (
    req: IncomingMessage,
    raw: string,
    entry: (typeof state.requests)[number],
  ): Reply => {
    const url = new URL(req.url ?? '/', 'http://double')
    const method = req.method ?? 'GET'
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const socket = req.socket as TLSSocket
    const certUser =
      socket.encrypted && socket.authorized
        ? (socket.getPeerCertificate().subject?.CN as string | undefined)
        : undefined
    const user = bearer !== undefined ? tokens[bearer] : certUser
    entry.user = user ?? null
    if (!user) return statusFailure(401, 'Unauthorized', 'Unauthorized')

    const found = api.find(method, url.pathname)
    if (!found)
      return statusFailure(404, 'NotFound', 'the server could not find the requested resource', {})
    const { op, params } = found
    const ns = params.namespace!
    const [verb, resource, group] = VERB[op.id]!
    if (forbid.has(`${verb} ${resource}`) || (allow && !allow.has(`${verb} ${resource}`)))
      return statusFailure(
        403,
        'Forbidden',
        `${resource.split('/')[0]}${group ? `.${group}` : ''}${params.name ? ` "${params.name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}" in the namespace "${ns}"`,
        {
          ...(params.name ? { name: params.name } : {}),
          ...(group ? { group } : {}),
          kind: resource.split('/')[0],
        },
      )

    const query: Obj = Object.fromEntries(url.searchParams)
    entry.query = { ...query }
    if (!op.query(query)) {
      const e = op.query.errors![0]!
      return statusFailure(
        400,
        'BadRequest',
        `${fieldPath(e) || String((e.params as { additionalProperty?: string }).additionalProperty)}: ${e.message ?? 'invalid'}`,
      )
    }
    let body: unknown
    if (raw !== '') {
      try {
        body = JSON.parse(raw)
      } catch (error) {
        return statusFailure(
          400,
          'BadRequest',
          `the body of the request was in an unknown format: ${String(error)}`,
        )
      }
    }
    entry.body = body
    if (op.body && body !== undefined) {
      const kind = op.body.kind
      if (!op.body.lenient(body)) {
        const e = op.body.lenient.errors![0]!
        return statusFailure(
          400,
          'BadRequest',
          `${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof e.data} into Go struct field ${kind}.${fieldPath(e)} (${e.message ?? ''})`,
        )
      }
      const quantity = badQuantity(body as Obj)
      if (quantity !== undefined)
        return statusFailure(
          400,
          'BadRequest',
          `${kind} in version "v1" cannot be handled as a ${kind}: quantities must match the regular expression '${QUANTITY_PATTERN}'`,
        )
      if (query.fieldValidation === 'Strict' && !op.body.strict(body)) {
        const e = op.body.strict.errors![0]!
        return statusFailure(
          400,
          'BadRequest',
          `${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: unknown field "${fieldPath(e)}"`,
        )
      }
    } else if (op.id === 'createBatchV1NamespacedJob') {
      return statusFailure(400, 'BadRequest', 'the body of the request was empty')
    }

    return handleOperation(state, op.id, params, query, body)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const entry = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://double').pathname,
      query: {},
      body: undefined as unknown,
      status: 0,
      user: null as string | null,
    }
    state.requests.push(entry)
    let reply = route(req, Buffer.concat(chunks).toString('utf8'), entry)
    const found = api.find(entry.method, entry.path)
    const check = found?.op.responses[String(reply.status)]
    if (reply.body !== undefined && check && !check(reply.body))
      reply = statusFailure(
        500,
        'InternalError',
        `the double's response does not match the description: ${JSON.stringify(check.errors?.[0])}`,
      )
    entry.status = reply.status
    if (reply.text !== undefined) {
      res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.text)
      return
    }
    res
      .writeHead(reply.status, { 'content-type': 'application/json' })
      .end(JSON.stringify(reply.body))
  }
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error))
      else res.destroy()
    })
  }
  const server = options.tls
    ? createHttpsServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          ca: options.tls.ca,
          requestCert: true,
          rejectUnauthorized: false,
        },
        listener,
      )
    : createHttpServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    state,
    api,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
