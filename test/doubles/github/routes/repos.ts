import type { PermissionLevel, PullRecord } from '../state.js'
import {
  notFound,
  paginate,
  repoUrl,
  userJson,
  type RouteContext,
  type RouteHandler,
} from './route.js'

const RANK: PermissionLevel[] = ['none', 'read', 'triage', 'write', 'maintain', 'admin']
// The legacy `permission` field maps maintain to write and triage to read.
const LEGACY: Record<PermissionLevel, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
}

function pullJson(ctx: RouteContext, p: PullRecord): Record<string, unknown> {
  const headRepo = ctx.state.repo(p.headRepo)
  return {
    id: p.number + 500_000_000,
    node_id: `PR_${p.number}`,
    number: p.number,
    url: `${repoUrl(ctx)}/pulls/${p.number}`,
    html_url: `https://github.com/${p.repo}/pull/${p.number}`,
    state: p.state,
    locked: false,
    title: p.title,
    body: p.body,
    user: userJson(p.user, ctx.baseUrl),
    draft: p.draft,
    merged: p.merged,
    merge_commit_sha: p.mergeCommitSha,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    head: {
      label: `${headRepo.owner}:${p.headRef}`,
      ref: p.headRef,
      sha: p.headSha,
      user: userJson(p.user, ctx.baseUrl),
      repo: {
        id: headRepo.id,
        full_name: headRepo.fullName,
        name: headRepo.name,
        owner: { login: headRepo.owner },
        fork: p.headRepo !== p.repo,
        private: headRepo.private,
      },
    },
    base: {
      label: `${ctx.repo.owner}:${p.baseRef}`,
      ref: p.baseRef,
      sha: p.baseSha,
      repo: {
        id: ctx.repo.id,
        full_name: ctx.repo.fullName,
        name: ctx.repo.name,
        owner: { login: ctx.repo.owner },
        fork: false,
        private: ctx.repo.private,
      },
    },
    author_association: 'CONTRIBUTOR',
    labels: p.labels.map((name, i) => ({
      id: p.number * 1000 + i,
      node_id: `LA_${p.number}_${i}`,
      url: `${repoUrl(ctx)}/labels/${encodeURIComponent(name)}`,
      name,
      color: 'ededed',
      default: false,
      description: null,
    })),
  }
}

function commitJson(ctx: RouteContext, sha: string): Record<string, unknown> | undefined {
  const c = ctx.state.commits.get(sha)
  if (!c) return undefined
  return {
    sha: c.sha,
    node_id: `C_${c.sha.slice(0, 12)}`,
    url: `${repoUrl(ctx)}/commits/${c.sha}`,
    html_url: `https://github.com/${ctx.repo.fullName}/commit/${c.sha}`,
    commit: {
      message: c.message,
      author: { name: 'Octo Cat', email: 'octocat@example.com', date: c.authorDate },
      committer: { name: 'Octo Cat', email: 'octocat@example.com', date: c.committerDate },
    },
    parents: c.parents.map((p) => ({ sha: p, url: `${repoUrl(ctx)}/commits/${p}` })),
  }
}

export const repoRoutes: Record<string, RouteHandler> = {
  'repos/get': (ctx) => ({
    status: 200,
    body: {
      id: ctx.repo.id,
      node_id: `R_${ctx.repo.id}`,
      name: ctx.repo.name,
      full_name: ctx.repo.fullName,
      owner: { login: ctx.repo.owner, type: 'Organization' },
      private: ctx.repo.private,
      visibility: ctx.repo.private ? 'private' : 'public',
      default_branch: ctx.repo.defaultBranch,
      html_url: `https://github.com/${ctx.repo.fullName}`,
      url: repoUrl(ctx),
      fork: false,
    },
  }),
  'repos/get-collaborator-permission-level': (ctx) => {
    const user = ctx.params.username ?? ''
    let granted = ctx.state.permissionOf(ctx.repo.fullName, user)
    if (!granted) {
      if (ctx.repo.private || ctx.state.nonCollaboratorNotFound) {
        return {
          status: 404,
          body: { message: `${user} is not a user`, documentation_url: ctx.op.docs, status: '404' },
        }
      }
      // On a public repository every user can read.
      granted = { level: 'read', roleName: 'read' }
    }
    const rank = RANK.indexOf(granted.level)
    const has = (level: PermissionLevel) => rank >= RANK.indexOf(level)
    return {
      status: 200,
      body: {
        permission: LEGACY[granted.level],
        role_name: granted.roleName,
        user: {
          ...userJson(
            {
              login: user,
              id: 9_000_000 + user.length,
              type: user.endsWith('[bot]') ? 'Bot' : 'User',
            },
            ctx.baseUrl,
          ),
          permissions: {
            admin: has('admin'),
            maintain: has('maintain'),
            push: has('write'),
            triage: has('triage'),
            pull: has('read'),
          },
          role_name: granted.roleName,
        },
      },
    }
  },
  'pulls/get': (ctx) => {
    const pull = ctx.state.pulls.find(
      (p) =>
        p.number === Number(ctx.params.pull_number) &&
        p.repo.toLowerCase() === ctx.repo.fullName.toLowerCase(),
    )
    return pull ? { status: 200, body: pullJson(ctx, pull) } : notFound(ctx)
  },
  'pulls/list': (ctx) => {
    // GET /repos/{o}/{r}/pulls?state=&head=owner:branch&base=: filters as GitHub documents them.
    const text = (key: string) => (typeof ctx.query[key] === 'string' ? ctx.query[key] : undefined)
    const state = text('state') ?? 'open'
    const head = text('head')
    const base = text('base')
    const perPage = Math.min(Number(ctx.query.per_page ?? 30), 100)
    const pulls = ctx.state.pulls.filter(
      (p) =>
        p.repo.toLowerCase() === ctx.repo.fullName.toLowerCase() &&
        (state === 'all' || p.state === state) &&
        (head === undefined ||
          `${p.headRepo.split('/')[0]}:${p.headRef}`.toLowerCase() === head.toLowerCase()) &&
        (base === undefined || p.baseRef === base),
    )
    return { status: 200, body: pulls.slice(0, perPage).map((p) => pullJson(ctx, p)) }
  },
  'repos/list-pull-requests-associated-with-commit': (ctx) => {
    const sha = ctx.params.commit_sha ?? ''
    const pulls = ctx.state.pulls.filter(
      (p) => p.repo.toLowerCase() === ctx.repo.fullName.toLowerCase() && p.commits.includes(sha),
    )
    const page = paginate(ctx, pulls)
    return { status: 200, body: page.items.map((p) => pullJson(ctx, p)), headers: page.headers }
  },
  'repos/get-commit': (ctx) => {
    const body = commitJson(ctx, ctx.params.ref ?? '')
    if (!body)
      return {
        status: 422,
        body: {
          message: `No commit found for SHA: ${ctx.params.ref}`,
          documentation_url: ctx.op.docs,
          status: '422',
        },
      }
    return { status: 200, body }
  },
  'repos/compare-commits': (ctx) => {
    const known = ctx.state.mergeBases.get(
      `${ctx.repo.fullName.toLowerCase()}:${ctx.params.base}...${ctx.params.head}`,
    )
    if (!known) return notFound(ctx)
    const head = ctx.params.head ?? ''
    return {
      status: 200,
      body: {
        url: `${repoUrl(ctx)}/compare/${ctx.params.base}...${head}`,
        html_url: `https://github.com/${ctx.repo.fullName}/compare/${ctx.params.base}...${head}`,
        status: 'diverged',
        ahead_by: known.aheadBy ?? 1,
        behind_by: known.behindBy ?? 0,
        total_commits: known.aheadBy ?? 1,
        base_commit: commitJson(ctx, ctx.params.base ?? '') ?? { sha: ctx.params.base },
        merge_base_commit: commitJson(ctx, known.mergeBase) ?? { sha: known.mergeBase },
        commits: [],
        files: (known.files ?? []).map((filename) => ({
          sha: '0'.repeat(40),
          filename,
          status: 'modified',
          additions: 1,
          deletions: 0,
          changes: 1,
          blob_url: `https://github.com/${ctx.repo.fullName}/blob/${head}/${filename}`,
          raw_url: `https://github.com/${ctx.repo.fullName}/raw/${head}/${filename}`,
          contents_url: `${repoUrl(ctx)}/contents/${filename}?ref=${head}`,
        })),
      },
    }
  },
}
