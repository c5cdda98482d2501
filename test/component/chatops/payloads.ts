import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' }
import type { GitHubDouble } from '../../doubles/github/server.js'

type Example = Record<string, unknown> & {
  action: string
  issue: Record<string, unknown>
  comment: Record<string, unknown>
  repository: Record<string, unknown>
}

function example(action: 'created' | 'edited' | 'deleted'): Example {
  const event = (examples as { name: string; examples: Example[] }[]).find(
    (e) => e.name === 'issue_comment',
  )
  const found = event?.examples.find((e) => e.action === action)
  if (!found) throw new Error(`no issue_comment ${action} example in @octokit/webhooks-examples`)
  return structuredClone(found)
}

export const REPO = 'Codertocat/Hello-World'

/**
 * An `issue_comment` payload from @octokit/webhooks-examples, turned into a comment on pull request
 * `pr` (or a plain issue) whose comment really exists in the double, so reactions land on it.
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
): Example {
  const payload = example(options.action ?? 'created')
  const login = options.login ?? 'alice'
  const user = { login, id: 1000 + login.length, type: options.type ?? 'User' }
  const number = options.pr ?? 1
  const record = double.state.createComment(REPO, number, options.body, user)
  payload.comment = {
    ...payload.comment,
    id: record.id,
    body: options.body,
    created_at: record.createdAt,
    updated_at: record.createdAt,
    user: { ...(payload.comment.user as object), login, type: user.type },
  }
  payload.issue = { ...payload.issue, number }
  if (options.onIssue) delete payload.issue.pull_request
  else payload.issue.pull_request = { url: `https://api.github.com/repos/${REPO}/pulls/${number}` }
  return payload
}

/** A `pull_request_review_comment` `created` payload from @octokit/webhooks-examples on pull request `pr`. */
export function reviewCommentEvent(options: {
  body: string
  login: string
  createdAt: string
  pr?: number
}) {
  const event = (examples as { name: string; examples: Example[] }[]).find(
    (e) => e.name === 'pull_request_review_comment',
  )
  const found = event?.examples.find((e) => e.action === 'created')
  if (!found) throw new Error('no pull_request_review_comment created example')
  const payload = structuredClone(found) as Example & { pull_request: Record<string, unknown> }
  payload.comment = {
    ...payload.comment,
    body: options.body,
    created_at: options.createdAt,
    user: { ...(payload.comment.user as object), login: options.login, type: 'User' },
  }
  payload.pull_request = { ...payload.pull_request, number: options.pr ?? 1 }
  return payload
}
