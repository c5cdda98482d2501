import type { CommentRecord, ReactionRecord } from '../state.js'
import {
  notFound,
  paginate,
  repoUrl,
  userJson,
  validationFailed,
  type RouteContext,
  type RouteHandler,
  type RouteResult,
} from './route.js'

/** GitHub's limit on issue and PR comment bodies. */
export const COMMENT_BODY_LIMIT = 65_536

function commentJson(ctx: RouteContext, c: CommentRecord): Record<string, unknown> {
  const counts = Object.fromEntries(
    ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'].map((k) => [
      k,
      c.reactions.filter((r) => r.content === k).length,
    ]),
  )
  return {
    id: c.id,
    node_id: c.nodeId,
    url: `${repoUrl(ctx)}/issues/comments/${c.id}`,
    html_url: `https://github.com/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${repoUrl(ctx)}/issues/${c.issueNumber}`,
    body: c.body,
    user: userJson(c.user, ctx.baseUrl),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    reactions: {
      url: `${repoUrl(ctx)}/issues/comments/${c.id}/reactions`,
      total_count: c.reactions.length,
      ...counts,
    },
  }
}

function reactionJson(ctx: RouteContext, r: ReactionRecord): Record<string, unknown> {
  return {
    id: r.id,
    node_id: `REA_${Buffer.from(String(r.id)).toString('base64url')}`,
    user: userJson(r.user, ctx.baseUrl),
    content: r.content,
    created_at: r.createdAt,
  }
}

function findComment(ctx: RouteContext): CommentRecord | undefined {
  const id = Number(ctx.params.comment_id)
  return ctx.state.comments.find(
    (c) => c.id === id && c.repo.toLowerCase() === ctx.repo.fullName.toLowerCase(),
  )
}

function tooLong(ctx: RouteContext, body: string): RouteResult | undefined {
  return body.length > COMMENT_BODY_LIMIT
    ? validationFailed(
        ctx,
        'IssueComment',
        'data',
        `body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`,
      )
    : undefined
}

/** GitHub's reaction rule: 201 for a new reaction, 200 with the existing one when the user already reacted so. */
function react(ctx: RouteContext, reactions: ReactionRecord[]): RouteResult {
  const content = String(ctx.body.content)
  const existing = reactions.find(
    (r) => r.content === content && r.user.login === ctx.identity.login,
  )
  if (existing) return { status: 200, body: reactionJson(ctx, existing) }
  const record: ReactionRecord = {
    id: ctx.state.id(),
    content,
    user: ctx.identity,
    createdAt: ctx.state.timestamp(),
  }
  reactions.push(record)
  return { status: 201, body: reactionJson(ctx, record) }
}

export const commentRoutes: Record<string, RouteHandler> = {
  'issues/list-comments': (ctx) => {
    const since = typeof ctx.query.since === 'string' ? ctx.query.since : undefined
    const all = ctx.state
      .commentsOn(ctx.repo.fullName, Number(ctx.params.issue_number))
      .filter((c) => !since || c.updatedAt >= since)
    const page = paginate(ctx, all)
    return { status: 200, body: page.items.map((c) => commentJson(ctx, c)), headers: page.headers }
  },
  'issues/create-comment': (ctx) => {
    const body = String(ctx.body.body)
    const rejected = tooLong(ctx, body)
    if (rejected) return rejected
    const record = ctx.state.createComment(
      ctx.repo.fullName,
      Number(ctx.params.issue_number),
      body,
      ctx.identity,
    )
    return {
      status: 201,
      body: commentJson(ctx, record),
      headers: { location: `${repoUrl(ctx)}/issues/comments/${record.id}` },
    }
  },
  'issues/get-comment': (ctx) => {
    const c = findComment(ctx)
    return c ? { status: 200, body: commentJson(ctx, c) } : notFound(ctx)
  },
  'issues/update-comment': (ctx) => {
    const c = findComment(ctx)
    if (!c) return notFound(ctx)
    const body = String(ctx.body.body)
    const rejected = tooLong(ctx, body)
    if (rejected) return rejected
    c.body = body
    c.updatedAt = ctx.state.timestamp()
    return { status: 200, body: commentJson(ctx, c) }
  },
  'issues/delete-comment': (ctx) => {
    const c = findComment(ctx)
    if (!c) return notFound(ctx)
    ctx.state.comments.splice(ctx.state.comments.indexOf(c), 1)
    return { status: 204 }
  },
  'reactions/create-for-issue-comment': (ctx) => {
    const c = findComment(ctx)
    if (!c) return notFound(ctx)
    return react(ctx, c.reactions)
  },
  'reactions/create-for-pull-request-review-comment': (ctx) => {
    const id = Number(ctx.params.comment_id)
    const c = ctx.state.reviewComments.find(
      (x) => x.id === id && x.repo.toLowerCase() === ctx.repo.fullName.toLowerCase(),
    )
    if (!c) return notFound(ctx)
    return react(ctx, c.reactions)
  },
  'reactions/list-for-issue-comment': (ctx) => {
    const c = findComment(ctx)
    if (!c) return notFound(ctx)
    const page = paginate(
      ctx,
      c.reactions.filter((r) => !ctx.query.content || r.content === ctx.query.content),
    )
    return { status: 200, body: page.items.map((r) => reactionJson(ctx, r)), headers: page.headers }
  },
}
