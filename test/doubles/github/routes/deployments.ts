import type { DeploymentRecord, DeploymentStatusRecord } from '../state.js'
import {
  notFound,
  paginate,
  repoUrl,
  userJson,
  validationFailed,
  type RouteContext,
  type RouteHandler,
} from './route.js'

const SHA = /^[0-9a-f]{40}$/

function deploymentJson(ctx: RouteContext, d: DeploymentRecord): Record<string, unknown> {
  return {
    id: d.id,
    node_id: `DE_${d.id}`,
    url: `${repoUrl(ctx)}/deployments/${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userJson(d.creator, ctx.baseUrl),
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${repoUrl(ctx)}/deployments/${d.id}/statuses`,
    repository_url: repoUrl(ctx),
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
  }
}

function statusJson(
  ctx: RouteContext,
  d: DeploymentRecord,
  s: DeploymentStatusRecord,
): Record<string, unknown> {
  return {
    id: s.id,
    node_id: `DES_${s.id}`,
    url: `${repoUrl(ctx)}/deployments/${d.id}/statuses/${s.id}`,
    state: s.state,
    creator: userJson(s.creator, ctx.baseUrl),
    description: s.description,
    environment: s.environment,
    target_url: s.logUrl,
    log_url: s.logUrl,
    environment_url: s.environmentUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${repoUrl(ctx)}/deployments/${d.id}`,
    repository_url: repoUrl(ctx),
  }
}

/** Contexts that are not `success` on the commit (latest status per context wins). */
function failingContexts(
  ctx: RouteContext,
  sha: string,
  required: string[] | undefined,
): { context: string; state: string }[] {
  const latest = new Map<string, string>()
  for (const s of ctx.state.statuses) if (s.sha === sha) latest.set(s.context, s.state)
  const wanted = required ?? [...latest.keys()]
  return wanted
    .map((context) => ({ context, state: latest.get(context) ?? 'missing' }))
    .filter((c) => c.state !== 'success')
}

function findDeployment(ctx: RouteContext): DeploymentRecord | undefined {
  return ctx.state.deployments.find(
    (d) =>
      d.id === Number(ctx.params.deployment_id) &&
      d.repo.toLowerCase() === ctx.repo.fullName.toLowerCase(),
  )
}

export const deploymentRoutes: Record<string, RouteHandler> = {
  'repos/create-deployment': (ctx) => {
    const body = ctx.body as Record<string, unknown> & { ref: string }
    const sha = SHA.test(body.ref) ? body.ref : ctx.repo.branches[body.ref]
    if (!sha)
      return {
        status: 422,
        body: {
          message: `No ref found for: ${body.ref}`,
          documentation_url: ctx.op.docs,
          status: '422',
        },
      }
    const behind = ctx.state.behindRefs.get(body.ref)
    if (behind && body.auto_merge !== false) {
      if (behind.conflict)
        return { status: 409, body: { message: 'Merge conflict', documentation_url: ctx.op.docs } }
      return {
        status: 202,
        body: { message: `Auto-merged ${ctx.repo.defaultBranch} into ${body.ref} on deployment.` },
      }
    }
    const failing = failingContexts(ctx, sha, body.required_contexts as string[] | undefined)
    if (failing.length > 0) {
      return {
        status: 409,
        body: {
          message: `Conflict: Commit status checks failed for ${body.ref}.`,
          errors: [
            {
              contexts: failing,
              resource: 'Deployment',
              field: 'required_contexts',
              code: 'invalid',
            },
          ],
          documentation_url: ctx.op.docs,
        },
      }
    }
    const environment = typeof body.environment === 'string' ? body.environment : 'production'
    const record: DeploymentRecord = {
      id: ctx.state.id(),
      repo: ctx.repo.fullName,
      sha,
      ref: body.ref,
      task: typeof body.task === 'string' ? body.task : 'deploy',
      payload: body.payload ?? {},
      environment,
      description: typeof body.description === 'string' ? body.description : null,
      transientEnvironment: body.transient_environment === true,
      productionEnvironment:
        typeof body.production_environment === 'boolean'
          ? body.production_environment
          : environment === 'production',
      creator: ctx.identity,
      createdAt: ctx.state.timestamp(),
      request: body,
      statuses: [],
    }
    ctx.state.deployments.push(record)
    return { status: 201, body: deploymentJson(ctx, record) }
  },
  'repos/list-deployments': (ctx) => {
    const q = ctx.query
    const list = ctx.state.deployments
      .filter(
        (d) =>
          d.repo.toLowerCase() === ctx.repo.fullName.toLowerCase() &&
          (!q.sha || d.sha === q.sha) &&
          (!q.ref || d.ref === q.ref) &&
          (!q.task || d.task === q.task) &&
          (!q.environment || d.environment === q.environment),
      )
      .reverse()
    const page = paginate(ctx, list)
    return {
      status: 200,
      body: page.items.map((d) => deploymentJson(ctx, d)),
      headers: page.headers,
    }
  },
  'repos/get-deployment': (ctx) => {
    const d = findDeployment(ctx)
    return d ? { status: 200, body: deploymentJson(ctx, d) } : notFound(ctx)
  },
  'repos/create-deployment-status': (ctx) => {
    const d = findDeployment(ctx)
    if (!d) return notFound(ctx)
    const body = ctx.body as Record<string, string | boolean | undefined>
    const description = typeof body.description === 'string' ? body.description : ''
    if (description.length > 140) {
      return validationFailed(
        ctx,
        'DeploymentStatus',
        'description',
        'description is too long (maximum is 140 characters)',
      )
    }
    const status: DeploymentStatusRecord = {
      id: ctx.state.id(),
      state: String(body.state),
      description,
      environment: typeof body.environment === 'string' ? body.environment : d.environment,
      logUrl: String(body.log_url ?? body.target_url ?? ''),
      environmentUrl: String(body.environment_url ?? ''),
      createdAt: ctx.state.timestamp(),
      creator: ctx.identity,
    }
    // auto_inactive (default true): earlier non-transient, non-production deployments of the environment go inactive.
    if (status.state === 'success' && body.auto_inactive !== false) {
      for (const other of ctx.state.deployments) {
        if (other === d || other.repo !== d.repo || other.environment !== d.environment) continue
        if (other.transientEnvironment || other.productionEnvironment || other.id > d.id) continue
        if (other.statuses.at(-1)?.state === 'inactive') continue
        other.statuses.push({ ...status, id: ctx.state.id(), state: 'inactive', description: '' })
      }
    }
    d.statuses.push(status)
    return { status: 201, body: statusJson(ctx, d, status) }
  },
  'repos/list-deployment-statuses': (ctx) => {
    const d = findDeployment(ctx)
    if (!d) return notFound(ctx)
    const page = paginate(ctx, [...d.statuses].reverse())
    return {
      status: 200,
      body: page.items.map((s) => statusJson(ctx, d, s)),
      headers: page.headers,
    }
  },
}
