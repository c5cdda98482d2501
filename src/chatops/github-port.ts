import type { Logger } from '../core/logger.js'
import { createCheckRun, updateCheckRun } from '../github/checks.js'
import type { GitHubClient } from '../github/client.js'
import { upsertStickyComment } from '../github/comments.js'
import type { RepoRef } from '../github/context.js'
import { dispatchRepositoryEvent, dispatchWorkflow } from '../github/dispatch.js'
import { getPermissionLevel } from '../github/permissions.js'
import { checkSuiteTimes, getPull } from '../github/pulls.js'
import type { ChatopsGitHub } from './port.js'

/** Sticky replies of comment commands are `kind=command`, one per pull request and `key`. */
export const REPLY_KIND = 'command'

/**
 * ChatopsGitHub over the Octokit adapters in `src/github` for one repository. `selfLogin` is the
 * identity replies are posted as (looked up with GraphQL `viewer` when absent); only its comments
 * are ever updated.
 */
export function githubPort(
  client: GitHubClient,
  repo: RepoRef,
  options: { logger: Logger; selfLogin?: string },
): ChatopsGitHub {
  const { logger } = options
  return {
    permissionOf: (username) => getPermissionLevel(client, repo, username),
    async pull(number) {
      const info = await getPull(client, repo, number)
      return {
        number: info.number,
        state: info.state,
        merged: info.merged,
        headSha: info.headSha,
        headRepo: info.headRepo,
        baseRepo: info.baseRepo,
      }
    },
    checkSuiteTimes: (sha) => checkSuiteTimes(client, repo, sha),
    async react(target, content) {
      // Reactions are best-effort: errors are reported to the caller, which only warns.
      if (target.source === 'issue_comment') {
        await client.rest.reactions.createForIssueComment({
          ...repo,
          comment_id: target.commentId,
          content,
        })
      } else {
        await client.rest.reactions.createForPullRequestReviewComment({
          ...repo,
          comment_id: target.commentId,
          content,
        })
      }
    },
    async reply(pr, key, body) {
      const result = await upsertStickyComment(client, {
        repo,
        issueNumber: pr,
        kind: REPLY_KIND,
        key,
        body,
        logger,
        ...(options.selfLogin ? { selfLogin: options.selfLogin } : {}),
      })
      return { url: result.url }
    },
    async createCheckRun(request) {
      const created = await createCheckRun(client, repo, {
        name: request.name,
        headSha: request.headSha,
        status: request.status,
        externalId: request.externalId,
        ...(request.detailsUrl ? { detailsUrl: request.detailsUrl } : {}),
        output: { title: request.title, summary: request.summary },
      })
      return { id: created.id }
    },
    async updateCheckRun(id, update) {
      if ('conclusion' in update) {
        await updateCheckRun(client, repo, id, {
          conclusion: update.conclusion,
          output: { title: update.title, summary: update.summary },
        })
      } else if (update.detailsUrl) {
        await updateCheckRun(client, repo, id, { detailsUrl: update.detailsUrl })
      }
    },
    repositoryDispatch: (eventType, clientPayload) =>
      dispatchRepositoryEvent(client, repo, { eventType, clientPayload }),
    async workflowDispatch(workflow, ref, inputs) {
      const run = await dispatchWorkflow(client, repo, { workflow, ref, inputs })
      return {
        ...(run.runId !== undefined ? { runId: run.runId } : {}),
        ...(run.htmlUrl !== undefined ? { htmlUrl: run.htmlUrl } : {}),
      }
    },
  }
}
