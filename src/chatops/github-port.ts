import type { GitHubClient } from '../github/client.js'
import type { ChatopsGitHub, PullFacts, RoleLevel } from './port.js'

const LEVELS: RoleLevel[] = ['none', 'read', 'triage', 'write', 'maintain', 'admin']

/** The role from a collaborator-permission response: `user.permissions` first (it tells maintain and triage apart). */
export function roleFromPermissionResponse(data: {
  permission?: string
  role_name?: string
  user?: {
    permissions?: Partial<Record<'admin' | 'maintain' | 'push' | 'triage' | 'pull', boolean>>
  } | null
}): RoleLevel {
  const p = data.user?.permissions
  if (p) {
    if (p.admin) return 'admin'
    if (p.maintain) return 'maintain'
    if (p.push) return 'write'
    if (p.triage) return 'triage'
    if (p.pull) return 'read'
    return 'none'
  }
  if (data.role_name && (LEVELS as string[]).includes(data.role_name))
    return data.role_name as RoleLevel
  // Legacy field: maintain reads as write and triage as read, so this can only under-grant.
  if (data.permission && (LEVELS as string[]).includes(data.permission))
    return data.permission as RoleLevel
  return 'none'
}

/** The hidden first line of our reply for one pull request and key. */
export function replyMarker(pr: number, key: string): string {
  return `<!-- llmops-bot:v1 kind=${key} pr=${pr} -->`
}

/**
 * ChatopsGitHub over the project's Octokit client for one repository. `selfLogin` is the identity
 * replies are posted as (`github-actions[bot]` with GITHUB_TOKEN); only its comments are ever updated.
 */
export function githubPort(
  client: GitHubClient,
  repo: { owner: string; name: string },
  options: { selfLogin?: string } = {},
): ChatopsGitHub {
  const base = { owner: repo.owner, repo: repo.name }
  const isOurs = (user: { login: string; type?: string } | null | undefined) =>
    !!user && (options.selfLogin ? user.login === options.selfLogin : user.type === 'Bot')
  return {
    async permissionOf(username) {
      const { data } = await client.rest.repos.getCollaboratorPermissionLevel({ ...base, username })
      return roleFromPermissionResponse(data)
    },
    async pull(number): Promise<PullFacts> {
      const { data } = await client.rest.pulls.get({ ...base, pull_number: number })
      return {
        number: data.number,
        state: data.state === 'open' ? 'open' : 'closed',
        merged: data.merged,
        headSha: data.head.sha,
        headRepo: data.head.repo?.full_name ?? null,
        baseRepo: data.base.repo.full_name,
      }
    },
    async checkSuiteTimes(sha) {
      const suites = await client.paginate(client.rest.checks.listSuitesForRef, {
        ...base,
        ref: sha,
        per_page: 100,
      })
      return suites.map((s) => s.created_at).filter((t): t is string => typeof t === 'string')
    },
    async react(target, content) {
      if (target.source === 'issue_comment') {
        await client.rest.reactions.createForIssueComment({
          ...base,
          comment_id: target.commentId,
          content,
        })
      } else {
        await client.rest.reactions.createForPullRequestReviewComment({
          ...base,
          comment_id: target.commentId,
          content,
        })
      }
    },
    async reply(pr, key, body) {
      const marker = replyMarker(pr, key)
      const full = `${marker}\n${body}`
      const comments = await client.paginate(client.rest.issues.listComments, {
        ...base,
        issue_number: pr,
        per_page: 100,
      })
      const existing = comments.find((c) => isOurs(c.user) && c.body?.split('\n', 1)[0] === marker)
      if (existing) {
        if (existing.body === full) return { url: existing.html_url }
        const { data } = await client.rest.issues.updateComment({
          ...base,
          comment_id: existing.id,
          body: full,
        })
        return { url: data.html_url }
      }
      const { data } = await client.rest.issues.createComment({
        ...base,
        issue_number: pr,
        body: full,
      })
      return { url: data.html_url }
    },
    async createCheckRun(request) {
      const { data } = await client.rest.checks.create({
        ...base,
        name: request.name,
        head_sha: request.headSha,
        status: request.status,
        external_id: request.externalId,
        ...(request.detailsUrl ? { details_url: request.detailsUrl } : {}),
        ...(request.status === 'in_progress' ? { started_at: new Date().toISOString() } : {}),
        output: { title: request.title, summary: request.summary },
      })
      return { id: data.id }
    },
    async updateCheckRun(id, update) {
      if ('conclusion' in update) {
        await client.rest.checks.update({
          ...base,
          check_run_id: id,
          status: 'completed',
          conclusion: update.conclusion,
          completed_at: new Date().toISOString(),
          output: { title: update.title, summary: update.summary },
        })
      } else if (update.detailsUrl) {
        await client.rest.checks.update({
          ...base,
          check_run_id: id,
          details_url: update.detailsUrl,
        })
      }
    },
    async repositoryDispatch(eventType, clientPayload) {
      await client.rest.repos.createDispatchEvent({
        ...base,
        event_type: eventType,
        client_payload: clientPayload,
      })
    },
    async workflowDispatch(workflow, ref, inputs) {
      const response = await client.rest.actions.createWorkflowDispatch({
        ...base,
        workflow_id: workflow,
        ref,
        inputs,
        return_run_details: true,
      })
      const data = response.data as { workflow_run_id?: number; html_url?: string } | undefined
      return {
        ...(typeof data?.workflow_run_id === 'number' ? { runId: data.workflow_run_id } : {}),
        ...(typeof data?.html_url === 'string' ? { htmlUrl: data.html_url } : {}),
      }
    },
  }
}
