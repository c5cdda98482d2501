import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { fieldPath, KubernetesOpenApi } from './openapi.js'
import { KubernetesState, type JobObject } from './state.js'
import { badQuantity, QUANTITY_PATTERN, validateJob } from './validate-job.js'

export { KubernetesState } from './state.js'
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
interface Reply {
  status: number
  body?: unknown
  text?: string
}

/** A Kubernetes `Status` failure object, as every API error body is. */
export function statusFailure(code: number, reason: string, message: string, details?: Obj): Reply {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
  }
}

const VERB: Record<string, [string, string, string]> = {
  createBatchV1NamespacedJob: ['create', 'jobs', 'batch'],
  readBatchV1NamespacedJob: ['get', 'jobs', 'batch'],
  deleteBatchV1NamespacedJob: ['delete', 'jobs', 'batch'],
  listCoreV1NamespacedPod: ['list', 'pods', ''],
  readCoreV1NamespacedPodLog: ['get', 'pods/log', ''],
}

let openapi: KubernetesOpenApi | undefined

/** Parses `a=b,c!=d,e` (the equality-based label selector grammar) and matches labels with it. */
function selects(selector: string | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true
  return selector.split(',').every((term) => {
    const m = /^\s*([^!=\s]+)\s*(==|=|!=)?\s*([^\s]*)\s*$/.exec(term)
    if (!m) return false
    const [, key, op, value] = m
    if (!op) return key! in labels
    return op === '!=' ? labels[key!] !== value : labels[key!] === value
  })
}

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

    const notFound = (kind: string, group: string, name: string) =>
      statusFailure(404, 'NotFound', `${kind}${group ? `.${group}` : ''} "${name}" not found`, {
        name,
        ...(group ? { group } : {}),
        kind,
      })
    if (!state.namespaces.has(ns)) return notFound('namespaces', '', ns)

    switch (op.id) {
      case 'createBatchV1NamespacedJob': {
        const job = body as Obj & { metadata?: Obj }
        const bodyNs = job.metadata?.namespace
        if (bodyNs !== undefined && bodyNs !== ns)
          return statusFailure(
            400,
            'BadRequest',
            'the namespace of the provided object does not match the namespace sent on the request',
          )
        const name = typeof job.metadata?.name === 'string' ? job.metadata.name : ''
        const causes = validateJob(job)
        if (causes.length > 0)
          return statusFailure(
            422,
            'Invalid',
            `Job.batch "${name}" is invalid: ${causes.length > 1 ? '[' : ''}${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}${causes.length > 1 ? ']' : ''}`,
            { name, group: 'batch', kind: 'Job', causes },
          )
        if (state.job(ns, name))
          return statusFailure(409, 'AlreadyExists', `jobs.batch "${name}" already exists`, {
            name,
            group: 'batch',
            kind: 'jobs',
          })
        if (query.dryRun === 'All')
          return { status: 201, body: { ...job, metadata: { ...job.metadata, namespace: ns } } }
        return { status: 201, body: state.createJob(ns, job) }
      }
      case 'readBatchV1NamespacedJob': {
        state.onRead(ns, params.name!)
        const job = state.job(ns, params.name!)
        return job ? { status: 200, body: job } : notFound('jobs', 'batch', params.name!)
      }
      case 'deleteBatchV1NamespacedJob': {
        const opts = (body ?? {}) as Obj
        const policy = (opts.propagationPolicy ??
          query.propagationPolicy ??
          (query.orphanDependents === false ? 'Background' : 'Orphan')) as string
        if (!['Orphan', 'Background', 'Foreground'].includes(policy))
          return statusFailure(
            422,
            'Invalid',
            `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
          )
        const job: JobObject | undefined = state.deleteJob(ns, params.name!, policy)
        if (!job) return notFound('jobs', 'batch', params.name!)
        return {
          status: 200,
          body: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Success',
            details: { name: params.name, group: 'batch', kind: 'jobs', uid: job.metadata.uid },
          },
        }
      }
      case 'listCoreV1NamespacedPod': {
        const items = [...state.pods.values()]
          .filter(
            (p) =>
              p.pod.metadata.namespace === ns &&
              selects(query.labelSelector as string | undefined, p.pod.metadata.labels),
          )
          .map((p) => p.pod)
        return {
          status: 200,
          body: {
            kind: 'PodList',
            apiVersion: 'v1',
            metadata: { resourceVersion: state.nextVersion() },
            items,
          },
        }
      }
      case 'readCoreV1NamespacedPodLog': {
        const record = state.pods.get(`${ns}/${params.name!}`)
        if (!record) return notFound('pods', '', params.name!)
        const container = (query.container as string | undefined) ?? record.container
        if (container !== record.container)
          return statusFailure(
            400,
            'BadRequest',
            `container ${container} is not valid for pod ${params.name!}`,
          )
        if (record.pod.status.phase === 'Pending')
          return statusFailure(
            400,
            'BadRequest',
            `container "${container}" in pod "${params.name!}" is waiting to start: ContainerCreating`,
          )
        let lines = record.log
        if (typeof query.tailLines === 'number')
          lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines)
        const text = lines
          .map((l) => `${query.timestamps === true ? `${l.ts} ` : ''}${l.text}\n`)
          .join('')
        return { status: 200, text }
      }
    }
    return statusFailure(405, 'MethodNotAllowed', `the double does not implement ${op.id}`)
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
