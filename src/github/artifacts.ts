import { unzip, type Unzipped } from 'fflate'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { githubFailure, statusOf } from './errors.js'

export interface WorkflowRunInfo {
  id: number
  headSha: string
  headBranch: string | null
  event: string
  createdAt: string
  htmlUrl: string
  workflowId: number
}

export interface ArtifactInfo {
  id: number
  name: string
  sizeInBytes: number
  expired: boolean
  createdAt: string | null
}

/** Limits for unzipping artifacts written by other (possibly untrusted) workflows. */
export interface UnzipLimits {
  maxFiles?: number
  maxBytes?: number
}

type Client = Pick<GitHubClient, 'rest'>

/**
 * The newest successful workflow run of a commit on a branch (e.g. the merge base on the default
 * branch), optionally of one workflow (file name or id) and event. `undefined` when there is none.
 */
export async function findSuccessfulRun(
  client: Client,
  repo: RepoRef,
  query: {
    headSha: string
    branch?: string
    workflow?: string | number
    event?: string
    /**
     * Only runs the repository itself started: no `pull_request`/`pull_request_target` run and no run
     * whose head is in another repository. A fork's PR branch may carry the base branch's name and a
     * commit of it, and its run evaluates the PR's merge commit, not that commit.
     */
    trusted?: boolean
  },
): Promise<WorkflowRunInfo | undefined> {
  const filters = {
    ...repo,
    head_sha: query.headSha,
    status: 'success' as const,
    per_page: 100,
    ...(query.branch ? { branch: query.branch } : {}),
    ...(query.event ? { event: query.event } : {}),
  }
  let runs
  try {
    runs =
      query.workflow === undefined
        ? (await client.rest.actions.listWorkflowRunsForRepo(filters)).data.workflow_runs
        : (await client.rest.actions.listWorkflowRuns({ ...filters, workflow_id: query.workflow }))
            .data.workflow_runs
  } catch (error) {
    throw githubFailure(`listing workflow runs of ${query.headSha.slice(0, 12)}`, error)
  }
  const fullName = `${repo.owner}/${repo.repo}`.toLowerCase()
  const run = runs
    .filter((r) => r.head_sha === query.headSha && r.conclusion === 'success')
    .filter(
      (r) =>
        !query.trusted ||
        (!r.event.startsWith('pull_request') &&
          (r.head_repository?.full_name ?? fullName).toLowerCase() === fullName),
    )
    .sort((a, b) => b.created_at.localeCompare(a.created_at))[0]
  if (!run) return undefined
  return {
    id: run.id,
    headSha: run.head_sha,
    headBranch: run.head_branch,
    event: run.event,
    createdAt: run.created_at,
    htmlUrl: run.html_url,
    workflowId: run.workflow_id,
  }
}

/** Artifacts of a run, optionally only those with `name`. */
export async function listRunArtifacts(
  client: Client,
  repo: RepoRef,
  runId: number,
  name?: string,
): Promise<ArtifactInfo[]> {
  try {
    const { data } = await client.rest.actions.listWorkflowRunArtifacts({
      ...repo,
      run_id: runId,
      per_page: 100,
      ...(name ? { name } : {}),
    })
    return data.artifacts
      .filter((a) => name === undefined || a.name === name)
      .map((a) => ({
        id: a.id,
        name: a.name,
        sizeInBytes: a.size_in_bytes,
        expired: a.expired,
        createdAt: a.created_at,
      }))
  } catch (error) {
    throw githubFailure(`listing artifacts of run ${runId}`, error)
  }
}

/**
 * Downloads an artifact's zip and unzips it in memory. Entries with absolute paths or `..` are
 * refused, and the number of files and their total size are capped (the zip is untrusted data).
 */
export async function downloadArtifact(
  client: Client,
  repo: RepoRef,
  artifactId: number,
  limits: UnzipLimits = {},
): Promise<Map<string, Uint8Array>> {
  let data: unknown
  try {
    ;({ data } = await client.rest.actions.downloadArtifact({
      ...repo,
      artifact_id: artifactId,
      archive_format: 'zip',
    }))
  } catch (error) {
    if (statusOf(error) === 410)
      throw githubFailure(`downloading artifact ${artifactId} (it has expired)`, error)
    throw githubFailure(`downloading artifact ${artifactId}`, error)
  }
  const bytes =
    data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data as ArrayBufferLike)
  return unzipLimited(bytes, limits)
}

/** Unzips in memory with path and size checks. */
export async function unzipLimited(
  zip: Uint8Array,
  limits: UnzipLimits = {},
): Promise<Map<string, Uint8Array>> {
  const maxFiles = limits.maxFiles ?? 1000
  const maxBytes = limits.maxBytes ?? 512 * 1024 * 1024
  let files = 0
  let total = 0
  let refused: string | undefined
  const unzipped = await new Promise<Unzipped>((resolve, reject) => {
    unzip(
      zip,
      {
        filter: (file) => {
          if (file.name.endsWith('/')) return false
          if (file.name.startsWith('/') || file.name.split(/[\\/]/).includes('..'))
            refused ??= `unsafe path '${file.name}'`
          files += 1
          total += file.originalSize
          if (files > maxFiles) refused ??= `more than ${maxFiles} files`
          if (total > maxBytes) refused ??= `more than ${maxBytes} bytes uncompressed`
          return refused === undefined
        },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
  })
  if (refused) throw new Error(`artifact refused: ${refused}`)
  return new Map(Object.entries(unzipped))
}

/**
 * Finds the successful run of `headSha` on `branch`, its artifact `name`, and returns the files.
 * `undefined` when there is no such run or artifact (callers fall back or report why).
 */
export async function fetchRunArtifact(
  client: Client,
  repo: RepoRef,
  query: {
    headSha: string
    branch?: string
    workflow?: string | number
    name: string
    limits?: UnzipLimits
    trusted?: boolean
  },
): Promise<
  { run: WorkflowRunInfo; artifact: ArtifactInfo; files: Map<string, Uint8Array> } | undefined
> {
  const run = await findSuccessfulRun(client, repo, query)
  if (!run) return undefined
  const artifact = (await listRunArtifacts(client, repo, run.id, query.name)).find(
    (a) => !a.expired,
  )
  if (!artifact) return undefined
  return { run, artifact, files: await downloadArtifact(client, repo, artifact.id, query.limits) }
}
