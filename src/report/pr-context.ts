import { readFile } from 'node:fs/promises'
import { z } from 'zod'

/** The pull request a report is about, and the commit its check run belongs to. */
export interface PullRequestRef {
  owner: string
  repo: string
  number: number
  headSha: string
  /** Link to the workflow run, for the check run's details_url. */
  runUrl: string | null
}

const SHA = /^[0-9a-f]{40}$/

const eventSchema = z
  .object({
    pull_request: z
      .object({
        number: z.number().int().positive(),
        head: z.object({ sha: z.string().regex(SHA) }).loose(),
      })
      .loose()
      .optional(),
    workflow_run: z
      .object({
        head_sha: z.string().regex(SHA),
        pull_requests: z
          .array(
            z
              .object({
                number: z.number().int().positive(),
                head: z.object({ sha: z.string() }).loose(),
              })
              .loose(),
          )
          .default([]),
      })
      .loose()
      .optional(),
  })
  .loose()

/**
 * Finds the PR from the runner's environment: `--pr`/`--sha` first, then the event payload
 * (`pull_request`, or `workflow_run` whose `pull_requests` GitHub fills for same-repo PRs). For a
 * `workflow_run` from a fork, `pull_requests` is empty: pass `--pr` resolved by the workflow from
 * trusted API data, never from the artifact. Null when there is no PR (a local CLI run).
 */
export async function readPullRequestRef(
  env: Readonly<Record<string, string | undefined>>,
  overrides: { pr?: number | undefined; sha?: string | undefined } = {},
): Promise<PullRequestRef | null> {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo) return null
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
      : null
  let number = overrides.pr
  let headSha = overrides.sha
  if (env.GITHUB_EVENT_PATH) {
    const raw = await readFile(env.GITHUB_EVENT_PATH, 'utf8').catch(() => null)
    const parsed = raw === null ? null : eventSchema.safeParse(parseJson(raw))
    const event = parsed?.success ? parsed.data : null
    if (event?.pull_request) {
      number ??= event.pull_request.number
      headSha ??= event.pull_request.head.sha
    } else if (event?.workflow_run) {
      headSha ??= event.workflow_run.head_sha
      const pr = event.workflow_run.pull_requests.find(
        (p) => p.head.sha === event.workflow_run!.head_sha,
      )
      number ??= pr?.number
    }
  }
  if (number === undefined || headSha === undefined || !SHA.test(headSha)) return null
  return { owner, repo, number, headSha, runUrl }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}
