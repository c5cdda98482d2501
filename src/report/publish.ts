import type { Conclusion } from '../gate/outcome.js'
import type { Logger } from '../core/logger.js'
import type { Annotation } from './annotations.js'
import type { PullRequestRef } from './pr-context.js'

/** Posts or updates the sticky comment (the GitHub adapter finds ours by marker across every page). */
export interface StickyCommentClient {
  upsert(input: {
    pr: PullRequestRef
    /** Gate name: one sticky comment per PR and name. */
    name: string
    /** The report without the hidden marker lines, which the adapter adds. */
    body: string
    headSha: string
    mode: 'sticky' | 'new'
  }): Promise<{ id: number; url: string; action: 'created' | 'updated' | 'unchanged' }>
}

/** Creates a completed check run on the PR head and sends annotations in batches of 50. */
export interface CheckRunClient {
  create(input: {
    pr: PullRequestRef
    name: string
    conclusion: Conclusion
    title: string
    summary: string
    annotations: Annotation[]
    externalId: string
  }): Promise<{ id: number; url: string }>
}

/** The GitHub side of publishing, built at the edge from the token and the double or the real API. */
export interface Publisher {
  comments: StickyCommentClient
  checks: CheckRunClient
}

/** What one publication needs: the texts the gate wrote and where they go. */
export interface Publication {
  name: string
  conclusion: Conclusion
  verdict: string
  headline: string
  /** The comment's report without the marker lines (report.md minus its first lines). */
  commentBody: string
  checkSummary: string
  annotations: Annotation[]
  mode: 'sticky' | 'new'
}

/** Posts the comment and/or the check run; returns human-readable lines of what happened. */
export async function publish(
  publisher: Publisher,
  pr: PullRequestRef,
  p: Publication,
  what: { comment: boolean; check: boolean },
  logger: Logger,
): Promise<{ commentUrl: string | null; checkUrl: string | null }> {
  let commentUrl: string | null = null
  let checkUrl: string | null = null
  if (what.comment) {
    const r = await publisher.comments.upsert({
      pr,
      name: p.name,
      body: p.commentBody,
      headSha: pr.headSha,
      mode: p.mode,
    })
    commentUrl = r.url
    logger.info(`PR #${pr.number}: comment ${r.action} (${r.url})`)
  }
  if (what.check) {
    const r = await publisher.checks.create({
      pr,
      name: `llmops/gate (${p.name})`,
      conclusion: p.conclusion,
      title: `${p.verdict}: ${p.headline}`.slice(0, 255),
      summary: p.checkSummary,
      annotations: p.annotations,
      externalId: `llmops-gate:${p.name}`,
    })
    checkUrl = r.url
    logger.info(`check run on ${pr.headSha.slice(0, 12)}: ${p.conclusion} (${r.url})`)
  }
  return { commentUrl, checkUrl }
}
