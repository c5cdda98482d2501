import type { Logger } from '../core/logger.js'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { githubMessage } from './errors.js'

export type Reaction = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes'

/**
 * Adds a reaction to an issue/PR comment (`issue`) or a review comment (`review`). Best-effort:
 * a failure only logs a warning and returns false. GitHub answers 200 when it already exists.
 */
export async function addReaction(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  target: { commentId: number; kind?: 'issue' | 'review' },
  content: Reaction,
  logger: Logger,
): Promise<boolean> {
  try {
    if (target.kind === 'review') {
      await client.rest.reactions.createForPullRequestReviewComment({
        ...repo,
        comment_id: target.commentId,
        content,
      })
    } else {
      await client.rest.reactions.createForIssueComment({
        ...repo,
        comment_id: target.commentId,
        content,
      })
    }
    return true
  } catch (error) {
    logger.warn(
      `could not add the ${content} reaction to comment ${target.commentId}: ${githubMessage(error)}`,
    )
    return false
  }
}
