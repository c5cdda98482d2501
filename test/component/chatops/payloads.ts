import type { GitHubDouble } from '../../doubles/github/server.js'
import { issueCommentCreated, webhookExample } from '../../helpers/webhooks.js'

export const REPO = 'Codertocat/Hello-World'

/**
 * An `issue_comment` payload from @octokit/webhooks-examples (through the shared helper, parsed by
 * the production schema) whose comment really exists in the double, so reactions land on it.
 */
export function commentEvent(
  double: GitHubDouble,
  options: {
    body: string
    login?: string
    type?: 'User' | 'Bot'
    action?: 'created' | 'edited' | 'deleted'
    pr?: number
    onIssue?: boolean
  },
) {
  const login = options.login ?? 'alice'
  const user = { login, id: 1000 + login.length, type: options.type ?? ('User' as const) }
  const number = options.pr ?? 1
  const record = double.state.createComment(REPO, number, options.body, user)
  return issueCommentCreated({
    action: options.action ?? 'created',
    body: options.body,
    user,
    isPullRequest: !options.onIssue,
    number,
    commentId: record.id,
    createdAt: record.createdAt,
  })
}

/** A `pull_request_review_comment` `created` payload from @octokit/webhooks-examples on pull request `pr`. */
export function reviewCommentEvent(options: {
  body: string
  login: string
  createdAt: string
  pr?: number
}) {
  const payload = webhookExample('pull_request_review_comment', 'created') as Record<
    string,
    Record<string, unknown>
  >
  payload.comment = {
    ...payload.comment,
    body: options.body,
    created_at: options.createdAt,
    user: { ...(payload.comment!.user as object), login: options.login, type: 'User' },
  }
  payload.pull_request = { ...payload.pull_request, number: options.pr ?? 1 }
  return payload
}
