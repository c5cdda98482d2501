import type { Operation } from '../openapi.js'
import type { GitHubState, Identity, RepoRecord } from '../state.js'

/** What a route handler receives: validated parameters, the caller's identity and the state. */
export interface RouteContext {
  params: Record<string, string>
  query: Record<string, unknown>
  /** The JSON body, already validated against GitHub's schema. */
  body: Record<string, unknown>
  identity: Identity
  state: GitHubState
  repo: RepoRecord
  baseUrl: string
  /** The request path (without the query), for Link headers. */
  pathname: string
  op: Operation
}

export interface RouteResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
  raw?: Uint8Array
}

export type RouteHandler = (ctx: RouteContext) => RouteResult

export const notFound = (ctx: Pick<RouteContext, 'op'>): RouteResult => ({
  status: 404,
  body: { message: 'Not Found', documentation_url: ctx.op.docs, status: '404' },
})

/** GitHub's semantic validation error (`Validation Failed` with an `errors` array). */
export function validationFailed(
  ctx: Pick<RouteContext, 'op'>,
  resource: string,
  field: string,
  message: string,
): RouteResult {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource, code: 'custom', field, message }],
      documentation_url: ctx.op.docs,
      status: '422',
    },
  }
}

export function userJson(user: Identity, baseUrl: string): Record<string, unknown> {
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${Buffer.from(String(user.id)).toString('base64url')}`,
    type: user.type,
    site_admin: false,
    url: `${baseUrl}/users/${encodeURIComponent(user.login)}`,
    html_url: `https://github.com/${user.login.replace('[bot]', '')}`,
  }
}

export function repoUrl(ctx: Pick<RouteContext, 'baseUrl' | 'repo'>): string {
  return `${ctx.baseUrl}/repos/${ctx.repo.fullName}`
}

/** One page of `items` with GitHub's `Link` header (per_page defaults to 30 and is capped at 100). */
export function paginate<T>(
  ctx: Pick<RouteContext, 'query' | 'baseUrl' | 'pathname'>,
  items: readonly T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30), 1), 100)
  const page = Math.max(Number(ctx.query.page ?? 1), 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (p: number) => {
    const url = new URL(`${ctx.baseUrl}${ctx.pathname}`)
    for (const [k, v] of Object.entries(ctx.query))
      if (k !== 'page') url.searchParams.set(k, String(v))
    url.searchParams.set('per_page', String(perPage))
    url.searchParams.set('page', String(p))
    return url.toString()
  }
  const rels: string[] = []
  if (page > 1) rels.push(`<${link(page - 1)}>; rel="prev"`)
  if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`)
  if (page > 1) rels.push(`<${link(1)}>; rel="first"`)
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: rels.length > 0 ? { link: rels.join(', ') } : {},
  }
}
