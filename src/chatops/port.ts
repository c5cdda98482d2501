/** A repository role as the collaborator permission API reports it, `none` for no access. */
export type RoleLevel = 'none' | 'read' | 'triage' | 'write' | 'maintain' | 'admin'

/** The facts of a pull request the pinning rules read (from `pulls.get`). */
export interface PullFacts {
  number: number
  state: 'open' | 'closed'
  merged: boolean
  headSha: string
  /** `owner/name` of the head repository; null when the fork was deleted. */
  headRepo: string | null
  baseRepo: string
}

export type ReactionContent = 'eyes' | 'rocket' | 'confused' | '+1'

export interface CheckRunRequest {
  name: string
  headSha: string
  status: 'queued' | 'in_progress'
  externalId: string
  detailsUrl?: string
  title: string
  summary: string
}

export interface CheckRunConclusion {
  conclusion: 'failure' | 'cancelled' | 'neutral'
  title: string
  summary: string
}

/** What a workflow_dispatch returns when GitHub offers the run details. */
export interface DispatchedRun {
  runId?: number
  /** The run's page on github.com. */
  htmlUrl?: string
}

/**
 * The GitHub operations comment commands use, and nothing more. The production implementation wraps
 * the Octokit adapters in `src/github`; tests pass plain fakes or run it against the API double.
 * Every method throws on an API failure; the handler decides what a failure means.
 */
export interface ChatopsGitHub {
  /** `GET /repos/{o}/{r}/collaborators/{u}/permission`, with maintain and triage told apart. */
  permissionOf(username: string): Promise<RoleLevel>
  /** `GET /repos/{o}/{r}/pulls/{n}`. */
  pull(number: number): Promise<PullFacts>
  /** `created_at` of every check suite of a commit (`GET /repos/{o}/{r}/commits/{sha}/check-suites`). */
  checkSuiteTimes(sha: string): Promise<string[]>
  react(
    target: { commentId: number; source: 'issue_comment' | 'pull_request_review_comment' },
    content: ReactionContent,
  ): Promise<void>
  /** Creates or updates our one reply per pull request and `key`; returns its URL. */
  reply(pr: number, key: string, body: string): Promise<{ url?: string }>
  createCheckRun(request: CheckRunRequest): Promise<{ id: number }>
  updateCheckRun(id: number, update: { detailsUrl?: string } | CheckRunConclusion): Promise<void>
  repositoryDispatch(eventType: string, clientPayload: Record<string, unknown>): Promise<void>
  workflowDispatch(
    workflow: string,
    ref: string,
    inputs: Record<string, string>,
  ): Promise<DispatchedRun>
}
