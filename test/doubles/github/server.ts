import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Faults, renderFault } from './faults.js'
import { handleGraphql } from './graphql.js'
import { OpenApiSubset } from './openapi.js'
import { actionRoutes, ARTIFACT_BLOB_PREFIX, artifactBlob } from './routes/actions.js'
import { checkRoutes } from './routes/checks.js'
import { commentRoutes } from './routes/comments.js'
import { deploymentRoutes } from './routes/deployments.js'
import { repoRoutes } from './routes/repos.js'
import type { RouteHandler, RouteResult } from './routes/route.js'
import {
  BOT_IDENTITY,
  DEFAULT_TOKEN,
  GitHubState,
  type Identity,
  type RepoRecord,
} from './state.js'

export { DEFAULT_TOKEN, BOT_IDENTITY, GitHubState } from './state.js'
export type { Fault, FaultMatcher } from './faults.js'
export type * from './state.js'

export interface GitHubDoubleOptions {
  /** Extra tokens and who they belong to; `DEFAULT_TOKEN` is always `github-actions[bot]`. */
  tokens?: Record<string, Identity>
  /** Repositories to create up front (others are created public, default branch `main`, on first use). */
  repos?: Record<string, Partial<Omit<RepoRecord, 'id' | 'owner' | 'name' | 'fullName'>>>
}

/** A running double: its base URL (use as `GITHUB_API_URL`), its state, its fault queues. */
export interface GitHubDouble {
  url: string
  state: GitHubState
  faults: Faults
  close(): Promise<void>
}

const routes: Record<string, RouteHandler> = {
  ...commentRoutes,
  ...checkRoutes,
  ...deploymentRoutes,
  ...actionRoutes,
  ...repoRoutes,
}

let subset: OpenApiSubset | undefined

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function send(res: ServerResponse, result: RouteResult): void {
  const headers: Record<string, string> = {
    'x-github-request-id': `DOUBLE:${Math.random().toString(16).slice(2, 10)}`,
    'x-ratelimit-limit': '1000',
    'x-ratelimit-remaining': '999',
    'x-ratelimit-resource': 'core',
    ...result.headers,
  }
  if (result.raw) {
    res.writeHead(result.status, {
      'content-type': 'application/zip',
      'content-length': String(result.raw.length),
      ...headers,
    })
    res.end(result.raw)
    return
  }
  if (result.body === undefined) {
    res.writeHead(result.status, headers)
    res.end()
    return
  }
  const text = JSON.stringify(result.body)
  res.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(text)
}

/**
 * Starts a stateful GitHub REST + GraphQL double on 127.0.0.1 (random port). Every REST request is
 * checked against GitHub's OpenAPI description (`openapi-subset.json`) and rejected the way GitHub
 * rejects it: 401 without a known token, 404 for unknown paths, 422 for invalid parameters or bodies.
 */
export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  subset ??= new OpenApiSubset()
  const api = subset
  const state = new GitHubState()
  const faults = new Faults()
  const tokens: Record<string, Identity> = { [DEFAULT_TOKEN]: BOT_IDENTITY, ...options.tokens }
  for (const [name, patch] of Object.entries(options.repos ?? {})) state.setRepo(name, patch)
  let baseUrl = ''

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req)
    const url = new URL(req.url ?? '/', baseUrl)
    const method = (req.method ?? 'GET').toUpperCase()
    const query: Record<string, unknown> = Object.fromEntries(url.searchParams)
    let parsed: unknown
    const entry = {
      method,
      path: url.pathname,
      query: { ...query } as Record<string, string>,
      operationId: null as string | null,
      body: undefined as unknown,
      status: 0,
      login: null as string | null,
    }
    state.requests.push(entry)
    const reply = (result: RouteResult) => {
      entry.status = result.status
      send(res, result)
    }

    if (method === 'GET' && url.pathname.startsWith(ARTIFACT_BLOB_PREFIX)) {
      const bytes = artifactBlob(state, url.pathname)
      return reply(
        bytes ? { status: 200, raw: bytes } : { status: 404, body: { message: 'BlobNotFound' } },
      )
    }

    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
    if (!auth)
      return reply({
        status: 401,
        body: {
          message: 'Requires authentication',
          documentation_url: 'https://docs.github.com/rest',
          status: '401',
        },
      })
    const identity = tokens[auth]
    if (!identity)
      return reply({
        status: 401,
        body: {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
          status: '401',
        },
      })
    entry.login = identity.login

    if (raw.length > 0) {
      try {
        parsed = JSON.parse(raw.toString('utf8')) as unknown
      } catch {
        return reply({
          status: 400,
          body: {
            message: 'Problems parsing JSON',
            documentation_url: 'https://docs.github.com/rest',
            status: '400',
          },
        })
      }
    }
    entry.body = parsed

    if (method === 'POST' && url.pathname === '/graphql') {
      entry.operationId = 'graphql'
      const fault = faults.take({ method, path: url.pathname, operationId: 'graphql' })
      if (fault) return reply(renderFault(fault, state.now()))
      return reply({
        status: 200,
        body: handleGraphql(state, identity, parsed ?? {}),
      })
    }

    const found = api.find(method, url.pathname)
    if (!found)
      return reply({
        status: 404,
        body: {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404',
        },
      })
    const { op, params } = found
    entry.operationId = op.id
    const fault = faults.take({ method, path: url.pathname, operationId: op.id })
    if (fault) return reply(renderFault(fault, state.now()))

    const rejection = api.check(op, query, parsed)
    if (rejection) return reply(rejection)

    const handler = routes[op.id]
    if (!handler)
      return reply({
        status: 501,
        body: { message: `The GitHub double does not implement ${op.id}` },
      })
    const stringParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))
    const repo = state.repo(`${stringParams.owner}/${stringParams.repo}`)
    return reply(
      handler({
        params: stringParams,
        query,
        body: (parsed ?? {}) as Record<string, unknown>,
        identity,
        state,
        repo,
        baseUrl,
        pathname: url.pathname,
        op,
      }),
    )
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, { status: 500, body: { message: `GitHub double error: ${String(error)}` } })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: baseUrl,
    state,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
