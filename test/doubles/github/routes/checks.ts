import type { CheckRunRecord, CheckSuiteRecord, StatusRecord } from '../state.js'
import {
  notFound,
  paginate,
  repoUrl,
  userJson,
  type RouteContext,
  type RouteHandler,
} from './route.js'

const sameRepo = (ctx: RouteContext, repo: string) =>
  repo.toLowerCase() === ctx.repo.fullName.toLowerCase()

function suiteJson(ctx: RouteContext, s: CheckSuiteRecord): Record<string, unknown> {
  return {
    id: s.id,
    node_id: `CS_${s.id}`,
    head_sha: s.headSha,
    head_branch: null,
    status: s.status,
    conclusion: s.conclusion,
    url: `${repoUrl(ctx)}/check-suites/${s.id}`,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    app: { slug: s.appSlug, name: s.appSlug === 'github-actions' ? 'GitHub Actions' : s.appSlug },
    latest_check_runs_count: ctx.state.checkRuns.filter((r) => r.checkSuiteId === s.id).length,
  }
}

function runJson(ctx: RouteContext, r: CheckRunRecord): Record<string, unknown> {
  return {
    id: r.id,
    node_id: `CR_${r.id}`,
    head_sha: r.headSha,
    external_id: r.externalId,
    url: `${repoUrl(ctx)}/check-runs/${r.id}`,
    html_url: `https://github.com/${r.repo}/runs/${r.id}`,
    details_url: r.detailsUrl,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    name: r.name,
    output: {
      title: r.output.title,
      summary: r.output.summary,
      text: r.output.text,
      annotations_count: r.annotations.length,
      annotations_url: `${repoUrl(ctx)}/check-runs/${r.id}/annotations`,
    },
    check_suite: { id: r.checkSuiteId },
    app: { slug: 'github-actions', name: 'GitHub Actions' },
    pull_requests: [],
  }
}

/** Applies a create or update body to a check run (both share GitHub's field rules). */
function apply(ctx: RouteContext, run: CheckRunRecord, body: Record<string, unknown>): void {
  const output = body.output as
    | {
        title?: string
        summary?: string
        text?: string
        annotations?: CheckRunRecord['annotations']
      }
    | undefined
  if (typeof body.name === 'string') run.name = body.name
  if (typeof body.details_url === 'string') run.detailsUrl = body.details_url
  if (typeof body.external_id === 'string') run.externalId = body.external_id
  if (typeof body.started_at === 'string') run.startedAt = body.started_at
  if (typeof body.status === 'string') run.status = body.status
  // Setting a conclusion completes the run, as GitHub does.
  if (typeof body.conclusion === 'string') {
    run.conclusion = body.conclusion
    run.status = 'completed'
  }
  if (run.status === 'completed')
    run.completedAt =
      typeof body.completed_at === 'string'
        ? body.completed_at
        : (run.completedAt ?? ctx.state.timestamp())
  if (output) {
    if (output.title !== undefined) run.output.title = output.title
    if (output.summary !== undefined) run.output.summary = output.summary
    if (output.text !== undefined) run.output.text = output.text
    // Annotations accumulate across requests (at most 50 per request).
    run.annotations.push(...(output.annotations ?? []))
  }
}

export const checkRoutes: Record<string, RouteHandler> = {
  'checks/create': (ctx) => {
    const sha = String(ctx.body.head_sha)
    const suite =
      ctx.state.checkSuites.find((s) => sameRepo(ctx, s.repo) && s.headSha === sha) ??
      ctx.state.seedCheckSuite(ctx.repo.fullName, sha)
    const run: CheckRunRecord = {
      id: ctx.state.id(),
      repo: ctx.repo.fullName,
      headSha: sha,
      name: String(ctx.body.name),
      status: 'queued',
      conclusion: null,
      detailsUrl: null,
      externalId: null,
      startedAt: ctx.state.timestamp(),
      completedAt: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      updates: [],
      checkSuiteId: suite.id,
    }
    apply(ctx, run, ctx.body)
    ctx.state.checkRuns.push(run)
    return { status: 201, body: runJson(ctx, run) }
  },
  'checks/update': (ctx) => {
    const run = ctx.state.checkRuns.find(
      (r) => r.id === Number(ctx.params.check_run_id) && sameRepo(ctx, r.repo),
    )
    if (!run) return notFound(ctx)
    run.updates.push(ctx.body)
    apply(ctx, run, ctx.body)
    return { status: 200, body: runJson(ctx, run) }
  },
  'checks/get': (ctx) => {
    const run = ctx.state.checkRuns.find(
      (r) => r.id === Number(ctx.params.check_run_id) && sameRepo(ctx, r.repo),
    )
    return run ? { status: 200, body: runJson(ctx, run) } : notFound(ctx)
  },
  'checks/list-for-ref': (ctx) => {
    const runs = ctx.state.checkRuns.filter(
      (r) =>
        sameRepo(ctx, r.repo) &&
        r.headSha === ctx.params.ref &&
        (!ctx.query.check_name || r.name === ctx.query.check_name) &&
        (!ctx.query.status || r.status === ctx.query.status),
    )
    // `filter` defaults to `latest`: only the most recent run of each name.
    const newest = [...runs].reverse()
    const listed =
      ctx.query.filter === 'all'
        ? newest
        : newest.filter((r, i) => newest.findIndex((x) => x.name === r.name) === i)
    const page = paginate(ctx, listed)
    return {
      status: 200,
      body: { total_count: listed.length, check_runs: page.items.map((r) => runJson(ctx, r)) },
      headers: page.headers,
    }
  },
  'checks/list-suites-for-ref': (ctx) => {
    const suites = ctx.state.checkSuites.filter(
      (s) => sameRepo(ctx, s.repo) && s.headSha === ctx.params.ref,
    )
    const page = paginate(ctx, suites)
    return {
      status: 200,
      body: { total_count: suites.length, check_suites: page.items.map((s) => suiteJson(ctx, s)) },
      headers: page.headers,
    }
  },
  'repos/create-commit-status': (ctx) => {
    const body = ctx.body as {
      state: string
      context?: string
      description?: string | null
      target_url?: string | null
    }
    const record: StatusRecord = {
      id: ctx.state.id(),
      repo: ctx.repo.fullName,
      sha: ctx.params.sha ?? '',
      state: body.state,
      context: body.context ?? 'default',
      description: body.description ?? null,
      targetUrl: body.target_url ?? null,
      createdAt: ctx.state.timestamp(),
      creator: ctx.identity,
    }
    ctx.state.statuses.push(record)
    return { status: 201, body: statusJson(ctx, record) }
  },
  'repos/list-commit-statuses-for-ref': (ctx) => {
    const statuses = ctx.state.statuses
      .filter((s) => sameRepo(ctx, s.repo) && s.sha === ctx.params.ref)
      .reverse()
    const page = paginate(ctx, statuses)
    return { status: 200, body: page.items.map((s) => statusJson(ctx, s)), headers: page.headers }
  },
}

function statusJson(ctx: RouteContext, s: StatusRecord): Record<string, unknown> {
  return {
    id: s.id,
    node_id: `SC_${s.id}`,
    url: `${repoUrl(ctx)}/statuses/${s.sha}`,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: userJson(s.creator, ctx.baseUrl),
  }
}
