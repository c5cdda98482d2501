import { createRequire } from 'node:module'
import type { z } from 'zod'
import {
  issueCommentEventSchema,
  pullRequestEventSchema,
  pushEventSchema,
  repositoryDispatchEventSchema,
  workflowDispatchEventSchema,
  workflowRunEventSchema,
  type IssueCommentEvent,
  type PullRequestEvent,
  type WorkflowRunEvent,
} from '../../src/github/context.js'

interface ExampleSet {
  name: string
  examples: Record<string, unknown>[]
}

const require = createRequire(import.meta.url)
const index = require('@octokit/webhooks-examples/api.github.com/index.json') as ExampleSet[]

/** A deep copy of the `n`-th example of `event` (optionally with `action`) from @octokit/webhooks-examples. */
export function webhookExample(event: string, action?: string, n = 0): Record<string, unknown> {
  const set = index.find((e) => e.name === event)
  const matches = (set?.examples ?? []).filter((x) => action === undefined || x.action === action)
  const example = matches[n]
  if (!example)
    throw new Error(`no webhook example for ${event}${action ? `.${action}` : ''} #${n}`)
  return structuredClone(example)
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] }

function merge<T>(base: T, patch: DeepPartial<T> | undefined): T {
  if (!patch) return base
  const out = { ...base } as Record<string, unknown>
  for (const [k, v] of Object.entries(patch)) {
    const current = out[k]
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && current && typeof current === 'object'
        ? merge(current, v as never)
        : v
  }
  return out as T
}

function parse<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  return schema.parse(payload)
}

export interface IssueCommentOverrides {
  action?: 'created' | 'edited' | 'deleted'
  body?: string
  user?: { login: string; id?: number; type?: 'User' | 'Bot' }
  isPullRequest?: boolean
  number?: number
  commentId?: number
  createdAt?: string
  repository?: { owner: string; name: string }
}

/** An `issue_comment` payload, parsed by the production schema, with the usual overrides. */
export function issueCommentCreated(overrides: IssueCommentOverrides = {}): IssueCommentEvent {
  const action = overrides.action ?? 'created'
  const payload = webhookExample('issue_comment', action) as Record<string, Record<string, unknown>>
  const issue = payload.issue!
  const comment = payload.comment!
  if (overrides.isPullRequest ?? true) {
    const repoUrl = String((payload.repository as { url: string }).url)
    issue.pull_request = {
      url: `${repoUrl}/pulls/${String(overrides.number ?? issue.number)}`,
      html_url: '',
      diff_url: '',
      patch_url: '',
    }
  } else {
    delete issue.pull_request
  }
  if (overrides.number !== undefined) issue.number = overrides.number
  if (overrides.body !== undefined) comment.body = overrides.body
  if (overrides.commentId !== undefined) comment.id = overrides.commentId
  if (overrides.createdAt !== undefined) comment.created_at = overrides.createdAt
  if (overrides.user) {
    const user = {
      ...(comment.user as object),
      login: overrides.user.login,
      id: overrides.user.id ?? 1000 + overrides.user.login.length,
      type: overrides.user.type ?? (overrides.user.login.endsWith('[bot]') ? 'Bot' : 'User'),
    }
    comment.user = user
    payload.sender = user
  }
  if (overrides.repository) applyRepository(payload, overrides.repository)
  return parse(issueCommentEventSchema, payload)
}

function applyRepository(
  payload: Record<string, unknown>,
  repo: { owner: string; name: string },
): void {
  const r = payload.repository as Record<string, unknown>
  r.name = repo.name
  r.full_name = `${repo.owner}/${repo.name}`
  r.owner = { ...(r.owner as object), login: repo.owner }
}

/** A `pull_request` payload (default `opened`), parsed by the production schema. */
export function pullRequestEvent(
  overrides: {
    action?: string
    number?: number
    headSha?: string
    baseSha?: string
    fork?: boolean
    repository?: { owner: string; name: string }
  } = {},
): PullRequestEvent {
  const payload = webhookExample('pull_request', overrides.action ?? 'opened') as Record<
    string,
    unknown
  > & { pull_request: Record<string, Record<string, unknown>> }
  if (overrides.repository) applyRepository(payload, overrides.repository)
  const pr = payload.pull_request
  const full = (payload.repository as { full_name: string }).full_name
  if (overrides.number !== undefined) {
    payload.number = overrides.number
    pr.number = overrides.number as never
  }
  if (overrides.headSha) pr.head!.sha = overrides.headSha
  if (overrides.baseSha) pr.base!.sha = overrides.baseSha
  pr.base!.repo = merge(pr.base!.repo as Record<string, unknown>, { full_name: full })
  pr.head!.repo = merge(pr.head!.repo as Record<string, unknown>, {
    full_name: overrides.fork ? `fork-owner/${full.split('/')[1]}` : full,
  })
  return parse(pullRequestEventSchema, payload)
}

/** A `workflow_run` payload (default `completed`), parsed by the production schema. */
export function workflowRunEvent(
  overrides: { action?: string; headSha?: string; conclusion?: string; event?: string } = {},
): WorkflowRunEvent {
  const payload = webhookExample('workflow_run', overrides.action ?? 'completed') as Record<
    string,
    Record<string, unknown>
  >
  const run = payload.workflow_run!
  if (overrides.headSha) run.head_sha = overrides.headSha
  if (overrides.conclusion) run.conclusion = overrides.conclusion
  if (overrides.event) run.event = overrides.event
  return parse(workflowRunEventSchema, payload)
}

/** A `push` payload, parsed by the production schema. */
export function pushEvent(overrides: { ref?: string; after?: string } = {}) {
  return parse(pushEventSchema, merge(webhookExample('push'), overrides))
}

/** A `repository_dispatch` payload, parsed by the production schema. */
export function repositoryDispatchEvent(
  overrides: { action?: string; clientPayload?: Record<string, unknown> } = {},
) {
  const payload = webhookExample('repository_dispatch')
  if (overrides.action) payload.action = overrides.action
  if (overrides.clientPayload) payload.client_payload = overrides.clientPayload
  return parse(repositoryDispatchEventSchema, payload)
}

/** A `workflow_dispatch` payload, parsed by the production schema. */
export function workflowDispatchEvent(
  overrides: { inputs?: Record<string, unknown>; ref?: string } = {},
) {
  const payload = webhookExample('workflow_dispatch')
  if (overrides.inputs) payload.inputs = overrides.inputs
  if (overrides.ref) payload.ref = overrides.ref
  return parse(workflowDispatchEventSchema, payload)
}
