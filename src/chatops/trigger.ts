import { z } from 'zod'

const user = z.object({ login: z.string().min(1), type: z.string() })
const repository = z.object({
  full_name: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/),
  name: z.string(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string().optional(),
})
const comment = z.object({
  id: z.number().int().positive(),
  body: z.string().nullable(),
  created_at: z.iso.datetime({ offset: true }),
  user: user.nullable(),
  html_url: z.string().optional(),
})

const issueCommentEvent = z.object({
  action: z.string(),
  issue: z.object({
    number: z.number().int().positive(),
    pull_request: z.object({}).loose().nullish(),
  }),
  comment,
  repository,
})

const reviewCommentEvent = z.object({
  action: z.string(),
  pull_request: z.object({ number: z.number().int().positive() }),
  comment,
  repository,
})

/** A comment that may carry a command: everything the handler needs from the event, nothing more. */
export interface CommentTrigger {
  source: 'issue_comment' | 'pull_request_review_comment'
  commentId: number
  body: string
  /** Server-side creation time of the comment (ISO 8601). */
  createdAt: string
  author: string
  pr: number
  repo: { owner: string; name: string; fullName: string; defaultBranch?: string }
}

export type TriggerDecision =
  { handle: true; trigger: CommentTrigger } | { handle: false; reason: string }

/** Comments we wrote ourselves carry a hidden `<!-- llmops:` marker; they are never read as commands. */
const OWN_MARKER = /<!--\s*llmops[:-]/

/** Whether the author is a bot (GitHub App, `[bot]` account, or the identity we post as). */
export function isBot(author: { login: string; type: string }, selfLogin?: string): boolean {
  const login = author.login.toLowerCase()
  if (author.type !== 'User') return true
  if (login.endsWith('[bot]')) return true
  return selfLogin !== undefined && login === selfLogin.toLowerCase().replace(/\[bot\]$/, '')
}

/**
 * Decides whether an event is a freshly created comment on a pull request by a person. Edits and
 * deletions are ignored: an edited comment would re-run an old command with today's secrets.
 */
export function classifyEvent(
  eventName: string,
  payload: unknown,
  selfLogin?: string,
): TriggerDecision {
  let source: CommentTrigger['source']
  let parsed: z.infer<typeof issueCommentEvent> | z.infer<typeof reviewCommentEvent>
  let pr: number
  if (eventName === 'issue_comment') {
    const result = issueCommentEvent.safeParse(payload)
    if (!result.success)
      return { handle: false, reason: 'the issue_comment payload is not in the expected shape' }
    if (!result.data.issue.pull_request)
      return { handle: false, reason: 'the comment is on an issue, not a pull request' }
    source = 'issue_comment'
    parsed = result.data
    pr = result.data.issue.number
  } else if (eventName === 'pull_request_review_comment') {
    const result = reviewCommentEvent.safeParse(payload)
    if (!result.success) {
      return {
        handle: false,
        reason: 'the pull_request_review_comment payload is not in the expected shape',
      }
    }
    source = 'pull_request_review_comment'
    parsed = result.data
    pr = result.data.pull_request.number
  } else {
    return { handle: false, reason: `event '${eventName}' does not carry comment commands` }
  }
  if (parsed.action !== 'created')
    return { handle: false, reason: `comment ${parsed.action}, only new comments are read` }
  const author = parsed.comment.user
  if (!author) return { handle: false, reason: 'the comment has no author' }
  if (isBot(author, selfLogin))
    return { handle: false, reason: `the author ${author.login} is a bot` }
  const body = parsed.comment.body ?? ''
  if (OWN_MARKER.test(body)) return { handle: false, reason: 'the comment carries our own marker' }
  const { repository } = parsed
  return {
    handle: true,
    trigger: {
      source,
      commentId: parsed.comment.id,
      body,
      createdAt: parsed.comment.created_at,
      author: author.login,
      pr,
      repo: {
        owner: repository.owner.login,
        name: repository.name,
        fullName: repository.full_name,
        ...(repository.default_branch ? { defaultBranch: repository.default_branch } : {}),
      },
    },
  }
}
