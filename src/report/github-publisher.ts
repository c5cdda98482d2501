import type { Logger } from '../core/logger.js'
import { createCheckRun } from '../github/checks.js'
import type { GitHubClient } from '../github/client.js'
import { upsertStickyComment } from '../github/comments.js'
import type { Publisher } from './publish.js'

/** Publishing over the GitHub adapters: the sticky comment (kind `gate`, key = gate name) and a completed check run. */
export function githubPublisher(client: GitHubClient, logger: Logger): Publisher {
  return {
    comments: {
      async upsert({ pr, name, body, headSha, mode }) {
        const r = await upsertStickyComment(client, {
          repo: { owner: pr.owner, repo: pr.repo },
          issueNumber: pr.number,
          kind: 'gate',
          key: name,
          body,
          headSha,
          mode: mode === 'new' ? 'new' : 'update',
          logger,
        })
        return { id: r.id, url: r.url, action: r.action }
      },
    },
    checks: {
      async create({ pr, name, conclusion, title, summary, annotations, externalId }) {
        const r = await createCheckRun(
          client,
          { owner: pr.owner, repo: pr.repo },
          {
            name,
            headSha: pr.headSha,
            status: 'completed',
            conclusion,
            externalId,
            ...(pr.runUrl ? { detailsUrl: pr.runUrl } : {}),
            output: {
              title,
              summary,
              annotations: annotations.map((a) => ({
                path: a.path,
                startLine: a.start_line,
                endLine: a.end_line,
                level: a.annotation_level,
                title: a.title,
                message: a.message,
              })),
            },
          },
        )
        return { id: r.id, url: r.htmlUrl ?? '' }
      },
    },
  }
}
