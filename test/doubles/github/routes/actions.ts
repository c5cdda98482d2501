import type { ArtifactRecord, WorkflowRunRecord } from '../state.js'
import {
  notFound,
  paginate,
  repoUrl,
  userJson,
  type RouteContext,
  type RouteHandler,
} from './route.js'

const SHA = /^[0-9a-f]{40}$/
const sameRepo = (ctx: RouteContext, repo: string) =>
  repo.toLowerCase() === ctx.repo.fullName.toLowerCase()

function runJson(ctx: RouteContext, r: WorkflowRunRecord): Record<string, unknown> {
  return {
    id: r.id,
    node_id: `WFR_${r.id}`,
    name: r.name,
    path: r.path,
    workflow_id: r.workflowId,
    head_sha: r.headSha,
    head_branch: r.headBranch,
    event: r.event,
    status: r.status,
    conclusion: r.conclusion,
    run_number: r.runNumber,
    run_attempt: 1,
    actor: userJson(r.actor, ctx.baseUrl),
    triggering_actor: userJson(r.actor, ctx.baseUrl),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    run_started_at: r.createdAt,
    url: `${repoUrl(ctx)}/actions/runs/${r.id}`,
    html_url: `https://github.com/${r.repo}/actions/runs/${r.id}`,
    artifacts_url: `${repoUrl(ctx)}/actions/runs/${r.id}/artifacts`,
    repository: { full_name: r.repo },
    head_repository: { full_name: r.headRepo ?? r.repo },
    pull_requests: [],
  }
}

function artifactJson(
  ctx: RouteContext,
  run: WorkflowRunRecord,
  a: ArtifactRecord,
): Record<string, unknown> {
  return {
    id: a.id,
    node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
    name: a.name,
    size_in_bytes: a.zip.length,
    url: `${repoUrl(ctx)}/actions/artifacts/${a.id}`,
    archive_download_url: `${repoUrl(ctx)}/actions/artifacts/${a.id}/zip`,
    expired: a.expired,
    created_at: a.createdAt,
    updated_at: a.createdAt,
    expires_at: a.createdAt,
    digest: null,
    workflow_run: {
      id: run.id,
      repository_id: ctx.repo.id,
      head_repository_id: ctx.repo.id,
      head_branch: run.headBranch,
      head_sha: run.headSha,
    },
  }
}

function listRuns(ctx: RouteContext, workflowId?: number): ReturnType<RouteHandler> {
  const q = ctx.query
  const runs = ctx.state.workflowRuns
    .filter(
      (r) =>
        sameRepo(ctx, r.repo) &&
        (workflowId === undefined || r.workflowId === workflowId) &&
        (!q.head_sha || r.headSha === q.head_sha) &&
        (!q.branch || r.headBranch === q.branch) &&
        (!q.event || r.event === q.event) &&
        (!q.actor || r.actor.login === q.actor) &&
        // `status` filters by status or by conclusion, as GitHub does.
        (!q.status || r.status === q.status || r.conclusion === q.status),
    )
    .reverse()
  const page = paginate(ctx, runs)
  return {
    status: 200,
    body: { total_count: runs.length, workflow_runs: page.items.map((r) => runJson(ctx, r)) },
    headers: page.headers,
  }
}

/** Artifact blobs are served from a separate unauthenticated path, like GitHub's signed storage URLs. */
export const ARTIFACT_BLOB_PREFIX = '/_blobs/artifacts/'

export const actionRoutes: Record<string, RouteHandler> = {
  'actions/create-workflow-dispatch': (ctx) => {
    const body = ctx.body as {
      ref: string
      inputs?: Record<string, unknown>
      return_run_details?: boolean
    }
    const workflow = ctx.state.workflow(ctx.repo.fullName, ctx.params.workflow_id ?? '')
    // A SHA is not a valid ref for workflow_dispatch: only branches and tags.
    const headSha = SHA.test(body.ref)
      ? undefined
      : ctx.repo.branches[body.ref.replace(/^refs\/heads\//, '')]
    if (!headSha)
      return {
        status: 422,
        body: {
          message: `No ref found for: ${body.ref}`,
          documentation_url: ctx.op.docs,
          status: '422',
        },
      }
    const inputs = body.inputs ?? {}
    if (workflow.inputs) {
      const unexpected = Object.keys(inputs).filter((k) => !(k in workflow.inputs!))
      if (unexpected.length > 0) {
        return {
          status: 422,
          body: {
            message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}`,
            documentation_url: ctx.op.docs,
            status: '422',
          },
        }
      }
      const missing = Object.entries(workflow.inputs).find(([k, v]) => v.required && !(k in inputs))
      if (missing)
        return {
          status: 422,
          body: {
            message: `Required input '${missing[0]}' not provided`,
            documentation_url: ctx.op.docs,
            status: '422',
          },
        }
    }
    const run = ctx.state.seedWorkflowRun({
      repo: ctx.repo.fullName,
      path: workflow.path,
      headSha,
      headBranch: body.ref.replace(/^refs\/heads\//, ''),
      event: 'workflow_dispatch',
      status: 'queued',
      conclusion: null,
      actor: ctx.identity,
      inputs,
    })
    if (body.return_run_details !== true) return { status: 204 }
    return {
      status: 200,
      body: {
        workflow_run_id: run.id,
        run_url: `${repoUrl(ctx)}/actions/runs/${run.id}`,
        html_url: `https://github.com/${run.repo}/actions/runs/${run.id}`,
      },
    }
  },
  'repos/create-dispatch-event': (ctx) => {
    const body = ctx.body as { event_type: string; client_payload?: Record<string, unknown> }
    ctx.state.repositoryDispatches.push({
      repo: ctx.repo.fullName,
      eventType: body.event_type,
      clientPayload: body.client_payload,
      actor: ctx.identity,
      at: ctx.state.timestamp(),
    })
    return { status: 204 }
  },
  'actions/list-workflow-runs-for-repo': (ctx) => listRuns(ctx),
  'actions/list-workflow-runs': (ctx) =>
    listRuns(ctx, ctx.state.workflow(ctx.repo.fullName, ctx.params.workflow_id ?? '').id),
  'actions/get-workflow-run': (ctx) => {
    const run = ctx.state.workflowRuns.find(
      (r) => r.id === Number(ctx.params.run_id) && sameRepo(ctx, r.repo),
    )
    return run ? { status: 200, body: runJson(ctx, run) } : notFound(ctx)
  },
  'actions/cancel-workflow-run': (ctx) => {
    const run = ctx.state.workflowRuns.find(
      (r) => r.id === Number(ctx.params.run_id) && sameRepo(ctx, r.repo),
    )
    if (!run) return notFound(ctx)
    if (run.status === 'completed') {
      return {
        status: 409,
        body: {
          message: 'Cannot cancel a workflow run that is completed.',
          documentation_url: ctx.op.docs,
          status: '409',
        },
      }
    }
    run.status = 'completed'
    run.conclusion = 'cancelled'
    run.updatedAt = ctx.state.timestamp()
    return { status: 202, body: {} }
  },
  'actions/list-workflow-run-artifacts': (ctx) => {
    const run = ctx.state.workflowRuns.find(
      (r) => r.id === Number(ctx.params.run_id) && sameRepo(ctx, r.repo),
    )
    if (!run) return notFound(ctx)
    const artifacts = run.artifacts.filter((a) => !ctx.query.name || a.name === ctx.query.name)
    const page = paginate(ctx, artifacts)
    return {
      status: 200,
      body: {
        total_count: artifacts.length,
        artifacts: page.items.map((a) => artifactJson(ctx, run, a)),
      },
      headers: page.headers,
    }
  },
  'actions/download-artifact': (ctx) => {
    if (ctx.params.archive_format !== 'zip') return notFound(ctx)
    const id = Number(ctx.params.artifact_id)
    const artifact = ctx.state.workflowRuns
      .filter((r) => sameRepo(ctx, r.repo))
      .flatMap((r) => r.artifacts)
      .find((a) => a.id === id)
    if (!artifact) return notFound(ctx)
    if (artifact.expired)
      return {
        status: 410,
        body: { message: 'Artifact has expired', documentation_url: ctx.op.docs, status: '410' },
      }
    return {
      status: 302,
      headers: { location: `${ctx.baseUrl}${ARTIFACT_BLOB_PREFIX}${id}.zip?sig=double` },
    }
  },
}

/** The bytes behind a download redirect, or `undefined`. */
export function artifactBlob(
  state: RouteContext['state'],
  pathname: string,
): Uint8Array | undefined {
  const id = Number(/^\/_blobs\/artifacts\/(\d+)\.zip$/.exec(pathname)?.[1])
  return state.workflowRuns.flatMap((r) => r.artifacts).find((a) => a.id === id)?.zip
}
