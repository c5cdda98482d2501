import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { ConfigurationError } from '../errors.js'

/** `owner` and `repo` as Octokit takes them, so `{ ...repo }` spreads into any request. */
export interface RepoRef {
  owner: string
  repo: string
}

const sha = z.string().regex(/^[0-9a-f]{40}$/)
const user = z.object({ login: z.string(), id: z.number().int(), type: z.string() }).loose()
const repository = z
  .object({
    full_name: z.string(),
    name: z.string(),
    owner: z.object({ login: z.string() }).loose(),
    default_branch: z.string().optional(),
    private: z.boolean().optional(),
  })
  .loose()
const pullRequest = z
  .object({
    number: z.number().int().positive(),
    state: z.string(),
    head: z.object({ sha, ref: z.string(), repo: repository.nullable() }).loose(),
    base: z.object({ sha, ref: z.string(), repo: repository }).loose(),
    user: user.nullable(),
  })
  .loose()

/** `issue_comment` payloads (comment commands); `issue.pull_request` is present on pull requests. */
export const issueCommentEventSchema = z
  .object({
    action: z.string(),
    issue: z
      .object({
        number: z.number().int().positive(),
        pull_request: z.object({ url: z.string().optional() }).loose().nullish(),
        state: z.string().optional(),
        user: user.nullable().optional(),
      })
      .loose(),
    comment: z
      .object({
        id: z.number().int().positive(),
        node_id: z.string().optional(),
        body: z.string().nullable(),
        created_at: z.string(),
        updated_at: z.string().optional(),
        user: user.nullable(),
        html_url: z.string().optional(),
        author_association: z.string().optional(),
      })
      .loose(),
    repository,
    sender: user.optional(),
  })
  .loose()

/** `pull_request` payloads (the PR gate). */
export const pullRequestEventSchema = z
  .object({
    action: z.string(),
    number: z.number().int().positive(),
    pull_request: pullRequest,
    repository,
  })
  .loose()

/** `workflow_run` payloads (the privileged half of the fork-safe split). */
export const workflowRunEventSchema = z
  .object({
    action: z.string(),
    workflow_run: z
      .object({
        id: z.number().int(),
        head_sha: sha,
        head_branch: z.string().nullable(),
        event: z.string(),
        conclusion: z.string().nullable(),
        pull_requests: z.array(z.object({ number: z.number().int() }).loose()),
      })
      .loose(),
    repository,
  })
  .loose()

/** `push` payloads (merge-triggered work). */
export const pushEventSchema = z
  .object({ ref: z.string(), after: z.string(), before: z.string(), repository })
  .loose()

/** `repository_dispatch` payloads (work dispatched by comment commands). */
export const repositoryDispatchEventSchema = z
  .object({
    action: z.string(),
    client_payload: z.record(z.string(), z.unknown()).nullable().optional(),
    repository,
  })
  .loose()

/** `workflow_dispatch` payloads. */
export const workflowDispatchEventSchema = z
  .object({
    inputs: z.record(z.string(), z.unknown()).nullable().optional(),
    ref: z.string(),
    repository,
  })
  .loose()

export type IssueCommentEvent = z.infer<typeof issueCommentEventSchema>
export type PullRequestEvent = z.infer<typeof pullRequestEventSchema>
export type WorkflowRunEvent = z.infer<typeof workflowRunEventSchema>

/** The pull request a run is about, when the event names one. */
export interface RunPullRequest {
  number: number
  /** Present for `pull_request` events; comment events must resolve it with `pulls.get`. */
  headSha?: string
  baseSha?: string
  baseRef?: string
  /** True when the head repository differs from the base repository. */
  fork?: boolean
}

/** What the rest of the code may know about the run: read once at the edge, passed down. */
export interface RunContext {
  repo: RepoRef
  /** `owner/name`. */
  repository: string
  eventName: string
  /** `GITHUB_SHA`: for `issue_comment` it is the default branch's head, never the PR's. */
  sha: string
  ref: string
  runId?: number
  runAttempt?: number
  /** The run's page, for check-run details and deployment log URLs. */
  runUrl?: string
  actor?: string
  serverUrl: string
  apiUrl: string
  graphqlUrl: string
  workflow?: string
  pullRequest?: RunPullRequest
  /** The event payload, unvalidated beyond its shape: parse it with the schemas above. */
  payload: unknown
}

const envSchema = z.object({
  GITHUB_REPOSITORY: z
    .string({
      error:
        'GITHUB_REPOSITORY is not set: run inside GitHub Actions or export GITHUB_REPOSITORY=owner/name.',
    })
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "GITHUB_REPOSITORY must look like 'owner/name'."),
  GITHUB_EVENT_NAME: z.string().default('workflow_dispatch'),
  GITHUB_SHA: z.string().default(''),
  GITHUB_REF: z.string().default(''),
  GITHUB_RUN_ID: z.coerce.number().int().positive().optional(),
  GITHUB_RUN_ATTEMPT: z.coerce.number().int().positive().optional(),
  GITHUB_ACTOR: z.string().optional(),
  GITHUB_WORKFLOW: z.string().optional(),
  GITHUB_SERVER_URL: z.string().default('https://github.com'),
  GITHUB_API_URL: z.string().default('https://api.github.com'),
  GITHUB_GRAPHQL_URL: z.string().optional(),
  GITHUB_EVENT_PATH: z.string().optional(),
})

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v)

function pullRequestOf(eventName: string, payload: unknown): RunPullRequest | undefined {
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const event = pullRequestEventSchema.safeParse(payload)
    if (!event.success) return undefined
    const pr = event.data.pull_request
    return {
      number: pr.number,
      headSha: pr.head.sha,
      baseSha: pr.base.sha,
      baseRef: pr.base.ref,
      fork: pr.head.repo?.full_name !== pr.base.repo.full_name,
    }
  }
  if (eventName === 'issue_comment') {
    const event = issueCommentEventSchema.safeParse(payload)
    if (event.success && event.data.issue.pull_request) return { number: event.data.issue.number }
  }
  return undefined
}

/**
 * Reads the run context from the `GITHUB_*` environment and the event file, validated by zod.
 * Throws ConfigurationError when `GITHUB_REPOSITORY` is missing (outside Actions, export it).
 */
export function readRunContext(
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): RunContext {
  const cleaned = Object.fromEntries(Object.keys(envSchema.shape).map((k) => [k, blank(env[k])]))
  const parsed = envSchema.safeParse(cleaned)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => i.message)
    throw new ConfigurationError(problems.join('\n'), problems)
  }
  const e = parsed.data
  let payload: unknown = {}
  if (e.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFile(e.GITHUB_EVENT_PATH)) as unknown
    } catch (error) {
      throw new ConfigurationError(
        `GITHUB_EVENT_PATH ${e.GITHUB_EVENT_PATH} is not a readable JSON event file: ${String(error)}`,
      )
    }
  }
  const [owner = '', name = ''] = e.GITHUB_REPOSITORY.split('/')
  const serverUrl = e.GITHUB_SERVER_URL.replace(/\/$/, '')
  const apiUrl = e.GITHUB_API_URL.replace(/\/$/, '')
  const pullRequest = pullRequestOf(e.GITHUB_EVENT_NAME, payload)
  return {
    repo: { owner, repo: name },
    repository: e.GITHUB_REPOSITORY,
    eventName: e.GITHUB_EVENT_NAME,
    sha: e.GITHUB_SHA,
    ref: e.GITHUB_REF,
    ...(e.GITHUB_RUN_ID
      ? {
          runId: e.GITHUB_RUN_ID,
          runUrl: `${serverUrl}/${e.GITHUB_REPOSITORY}/actions/runs/${e.GITHUB_RUN_ID}`,
        }
      : {}),
    ...(e.GITHUB_RUN_ATTEMPT ? { runAttempt: e.GITHUB_RUN_ATTEMPT } : {}),
    ...(e.GITHUB_ACTOR ? { actor: e.GITHUB_ACTOR } : {}),
    ...(e.GITHUB_WORKFLOW ? { workflow: e.GITHUB_WORKFLOW } : {}),
    serverUrl,
    apiUrl,
    graphqlUrl: e.GITHUB_GRAPHQL_URL ?? `${apiUrl}/graphql`,
    ...(pullRequest ? { pullRequest } : {}),
    payload,
  }
}
