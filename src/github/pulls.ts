import { z } from 'zod'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { githubFailure } from './errors.js'

const sha = z.string().regex(/^[0-9a-f]{40}$/)
const pullSchema = z.object({
  number: z.number().int(),
  state: z.string(),
  merged: z.boolean().optional(),
  merge_commit_sha: z.string().nullable().optional(),
  draft: z.boolean().optional(),
  user: z.object({ login: z.string() }).nullable(),
  head: z.object({ sha, ref: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
  base: z.object({ sha, ref: z.string(), repo: z.object({ full_name: z.string() }) }),
  html_url: z.string(),
  labels: z.array(z.object({ name: z.string().optional() }).loose()).optional(),
})

/** The facts of a pull request the gate and comment commands rely on. */
export interface PullInfo {
  number: number
  state: 'open' | 'closed'
  merged: boolean
  draft: boolean
  author: string | null
  headSha: string
  headRef: string
  /** `owner/name` of the head repository; null when the fork was deleted. */
  headRepo: string | null
  baseSha: string
  baseRef: string
  baseRepo: string
  /** True when the head repository is not the base repository. */
  fork: boolean
  mergeCommitSha: string | null
  url: string
  /** Names of the labels on the pull request. */
  labels: string[]
}

function toInfo(data: unknown): PullInfo {
  const p = pullSchema.parse(data)
  return {
    number: p.number,
    state: p.state === 'open' ? 'open' : 'closed',
    merged: p.merged ?? false,
    draft: p.draft ?? false,
    author: p.user?.login ?? null,
    headSha: p.head.sha,
    headRef: p.head.ref,
    headRepo: p.head.repo?.full_name ?? null,
    baseSha: p.base.sha,
    baseRef: p.base.ref,
    baseRepo: p.base.repo.full_name,
    fork: p.head.repo?.full_name !== p.base.repo.full_name,
    mergeCommitSha: p.merge_commit_sha ?? null,
    url: p.html_url,
    labels: (p.labels ?? []).flatMap((l) => (l.name ? [l.name] : [])),
  }
}

/** `GET /repos/{o}/{r}/pulls/{n}`: the current head SHA and whether it comes from a fork. */
export async function getPull(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  number: number,
): Promise<PullInfo> {
  try {
    const { data } = await client.rest.pulls.get({ ...repo, pull_number: number })
    return toInfo(data)
  } catch (error) {
    throw githubFailure(`reading pull request #${number}`, error)
  }
}

/** The merge base of `base` and `head` (branch names or SHAs) from `GET /compare/{base}...{head}`. */
export async function getMergeBase(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  base: string,
  head: string,
): Promise<string> {
  try {
    const { data } = await client.rest.repos.compareCommits({ ...repo, base, head, per_page: 1 })
    return sha.parse(data.merge_base_commit.sha)
  } catch (error) {
    throw githubFailure(`finding the merge base of ${base} and ${head}`, error)
  }
}

/**
 * Paths changed between `base` and `head` (`GET /compare/{base}...{head}`, `files[].filename`;
 * a renamed file also counts under its previous name). GitHub lists at most 300 files here.
 */
export async function changedFiles(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  base: string,
  head: string,
): Promise<string[]> {
  try {
    const { data } = await client.rest.repos.compareCommits({ ...repo, base, head, per_page: 1 })
    return (data.files ?? []).flatMap((f) =>
      f.previous_filename ? [f.filename, f.previous_filename] : [f.filename],
    )
  } catch (error) {
    throw githubFailure(`listing the files changed between ${base} and ${head}`, error)
  }
}

/** Pull requests that contain a commit (maps a merge commit on the default branch to its PR). */
export async function pullsForCommit(
  client: Pick<GitHubClient, 'rest'>,
  repo: RepoRef,
  commitSha: string,
): Promise<PullInfo[]> {
  try {
    const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: commitSha,
      per_page: 100,
    })
    return data.map(toInfo)
  } catch (error) {
    throw githubFailure(`listing pull requests of ${commitSha.slice(0, 12)}`, error)
  }
}

/** Server-side "first seen" times of a commit: `created_at` of its check suites, earliest first. */
export async function checkSuiteTimes(
  client: Pick<GitHubClient, 'rest' | 'paginate'>,
  repo: RepoRef,
  commitSha: string,
): Promise<string[]> {
  try {
    const suites = await client.paginate(client.rest.checks.listSuitesForRef, {
      ...repo,
      ref: commitSha,
      per_page: 100,
    })
    return suites
      .map((s) => s.created_at)
      .filter((t): t is string => typeof t === 'string')
      .sort()
  } catch (error) {
    throw githubFailure(`listing check suites of ${commitSha.slice(0, 12)}`, error)
  }
}
