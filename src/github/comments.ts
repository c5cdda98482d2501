import type { Logger } from '../core/logger.js'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { githubFailure } from './errors.js'
import { fitText } from './limits.js'

/** GitHub rejects issue and PR comment bodies longer than this (UTF-16 code units, as JS counts). */
export const COMMENT_BODY_LIMIT = 65_536
/** Measured server-side byte limit for issue comments; budgeted as well. */
export const COMMENT_BYTE_LIMIT = 262_144

type Client = Pick<GitHubClient, 'rest' | 'paginate' | 'graphql'>

/** One of our comments, as the sticky logic sees it. */
export interface StickyComment {
  id: number
  nodeId: string
  body: string
  url: string
}

export interface StickyCommentOptions {
  repo: RepoRef
  issueNumber: number
  /** What the comment is (`gate`, `command` ...) and which one (`gate` name, command key). */
  kind: string
  key: string
  body: string
  /** Recorded in a second hidden marker so a stale comment is visible. */
  headSha?: string
  /** `update` (default) edits the one sticky comment; `new` posts a new one and minimizes the old. */
  mode?: 'update' | 'new'
  /** Our login (`github-actions[bot]`); looked up with GraphQL `viewer` when absent. */
  selfLogin?: string
  logger: Logger
}

export interface StickyCommentResult {
  action: 'created' | 'updated' | 'unchanged'
  id: number
  url: string
  /** Ids of comments minimized on this call (older copies or duplicates from a race). */
  minimized: number[]
}

const SAFE = /^[A-Za-z0-9._/-]{1,100}$/

/** The hidden first line that identifies a sticky comment. */
export function stickyMarker(kind: string, key: string): string {
  if (!SAFE.test(kind) || !SAFE.test(key))
    throw new Error(`invalid sticky comment kind/key '${kind}'/'${key}'`)
  return `<!-- llmops:v1 kind=${kind} key=${key} -->`
}

/** The full body we post: marker line, SHA marker line, then the report, within GitHub's limits. */
export function stickyBody(
  options: Pick<StickyCommentOptions, 'kind' | 'key' | 'body' | 'headSha'>,
): string {
  const head = [stickyMarker(options.kind, options.key)]
  if (options.headSha && /^[0-9a-f]{40}$/.test(options.headSha))
    head.push(`<!-- llmops:sha=${options.headSha} -->`)
  const prefix = `${head.join('\n')}\n`
  return (
    prefix +
    fitText(
      options.body,
      COMMENT_BODY_LIMIT - prefix.length,
      COMMENT_BYTE_LIMIT - Buffer.byteLength(prefix),
    )
  )
}

const normalize = (login: string) => login.toLowerCase().replace(/\[bot\]$/, '')

/** Our own login as GitHub sees the token (`github-actions[bot]` for GITHUB_TOKEN). */
export async function resolveSelfLogin(client: Pick<GitHubClient, 'graphql'>): Promise<string> {
  try {
    const data = await client.graphql<{ viewer: { login: string } }>('query { viewer { login } }')
    return data.viewer.login
  } catch (error) {
    throw githubFailure('looking up our own login (GraphQL viewer)', error)
  }
}

async function minimizedIds(
  client: Client,
  nodeIds: string[],
  logger: Logger,
): Promise<Set<string>> {
  const minimized = new Set<string>()
  for (let i = 0; i < nodeIds.length; i += 100) {
    try {
      const data = await client.graphql<{ nodes: ({ id: string; isMinimized: boolean } | null)[] }>(
        'query($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { id isMinimized } } }',
        { ids: nodeIds.slice(i, i + 100) },
      )
      for (const node of data.nodes) if (node?.isMinimized) minimized.add(node.id)
    } catch (error) {
      logger.warn(
        `could not read which comments are minimized; treating them as visible: ${String(error)}`,
      )
    }
  }
  return minimized
}

/**
 * Our visible comments carrying `marker` on their first line, lowest id first. Pages through every
 * comment of the issue and ignores comments by anyone else (a user quoting the marker is not us).
 */
export async function findStickyComments(
  client: Client,
  options: {
    repo: RepoRef
    issueNumber: number
    marker: string
    selfLogin: string
    since?: string
    logger: Logger
  },
): Promise<StickyComment[]> {
  let all
  try {
    all = await client.paginate(client.rest.issues.listComments, {
      ...options.repo,
      issue_number: options.issueNumber,
      per_page: 100,
      ...(options.since ? { since: options.since } : {}),
    })
  } catch (error) {
    throw githubFailure(`listing comments of #${options.issueNumber}`, error)
  }
  const self = normalize(options.selfLogin)
  const ours = all
    .filter(
      (c) =>
        c.user &&
        normalize(c.user.login) === self &&
        (c.body ?? '').split('\n', 1)[0] === options.marker,
    )
    .map((c) => ({ id: c.id, nodeId: c.node_id, body: c.body ?? '', url: c.html_url }))
    .sort((a, b) => a.id - b.id)
  if (ours.length === 0) return ours
  const hidden = await minimizedIds(
    client,
    ours.map((c) => c.nodeId),
    options.logger,
  )
  return ours.filter((c) => !hidden.has(c.nodeId))
}

/** Minimizes a comment (best-effort: a failure only warns). */
export async function minimizeComment(
  client: Pick<GitHubClient, 'graphql'>,
  nodeId: string,
  classifier: 'OUTDATED' | 'DUPLICATE' | 'RESOLVED',
  logger: Logger,
): Promise<boolean> {
  try {
    await client.graphql(
      'mutation($id: ID!, $classifier: ReportedContentClassifiers!) { minimizeComment(input: {subjectId: $id, classifier: $classifier}) { minimizedComment { isMinimized } } }',
      { id: nodeId, classifier },
    )
    return true
  } catch (error) {
    logger.warn(`could not minimize comment ${nodeId}: ${String(error)}`)
    return false
  }
}

async function create(
  client: Client,
  options: StickyCommentOptions,
  body: string,
): Promise<StickyComment & { createdAt: string }> {
  try {
    const { data } = await client.rest.issues.createComment({
      ...options.repo,
      issue_number: options.issueNumber,
      body,
    })
    return {
      id: data.id,
      nodeId: data.node_id,
      body,
      url: data.html_url,
      createdAt: data.created_at,
    }
  } catch (error) {
    throw githubFailure(`creating a comment on #${options.issueNumber}`, error)
  }
}

async function update(
  client: Client,
  options: StickyCommentOptions,
  id: number,
  body: string,
): Promise<string> {
  try {
    const { data } = await client.rest.issues.updateComment({
      ...options.repo,
      comment_id: id,
      body,
    })
    return data.html_url
  } catch (error) {
    throw githubFailure(`updating comment ${id}`, error)
  }
}

/**
 * Creates or updates the one sticky comment for `kind`/`key` on an issue or PR. Only comments we
 * authored count; an unchanged body is not re-sent; duplicates (from concurrent runs) are minimized
 * and every run converges on the lowest id. Mode `new` posts a fresh comment and minimizes the old ones.
 */
export async function upsertStickyComment(
  client: Client,
  options: StickyCommentOptions,
): Promise<StickyCommentResult> {
  const marker = stickyMarker(options.kind, options.key)
  const body = stickyBody(options)
  const selfLogin = options.selfLogin ?? (await resolveSelfLogin(client))
  const find = (since?: string) =>
    findStickyComments(client, {
      repo: options.repo,
      issueNumber: options.issueNumber,
      marker,
      selfLogin,
      logger: options.logger,
      ...(since ? { since } : {}),
    })
  const existing = await find()
  const minimized: number[] = []
  const hide = async (comments: StickyComment[], classifier: 'OUTDATED' | 'DUPLICATE') => {
    for (const c of comments)
      if (await minimizeComment(client, c.nodeId, classifier, options.logger)) minimized.push(c.id)
  }

  if (options.mode === 'new' || existing.length === 0) {
    const created = await create(client, options, body)
    if (options.mode === 'new') {
      await hide(existing, 'OUTDATED')
      return { action: 'created', id: created.id, url: created.url, minimized }
    }
    // A concurrent run may have created its own copy at the same moment: keep the lowest id.
    const since = new Date(Date.parse(created.createdAt) - 60_000).toISOString()
    const racing = (await find(since)).filter((c) => c.id !== created.id)
    const keeper = racing.find((c) => c.id < created.id)
    if (!keeper) return { action: 'created', id: created.id, url: created.url, minimized }
    await hide([created], 'DUPLICATE')
    const url = keeper.body === body ? keeper.url : await update(client, options, keeper.id, body)
    return { action: 'updated', id: keeper.id, url, minimized }
  }

  const [target, ...duplicates] = existing as [StickyComment, ...StickyComment[]]
  await hide(duplicates, 'DUPLICATE')
  if (target.body === body)
    return { action: 'unchanged', id: target.id, url: target.url, minimized }
  const url = await update(client, options, target.id, body)
  return { action: 'updated', id: target.id, url, minimized }
}
