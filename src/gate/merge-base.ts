import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ConfigurationError } from '../errors.js'
import type { PullRequestRef } from '../report/pr-context.js'
import type { BaselineSource } from './sides.js'

/** The narrow GitHub surface the merge-base baseline needs (implemented over src/github/pulls.ts and artifacts.ts). */
export interface MergeBaseArtifacts {
  /** The merge base of the PR head with its base branch, and that branch's name. */
  mergeBase(pr: PullRequestRef): Promise<{ sha: string; branch: string }>
  /**
   * Finds the newest successful run on `branch` for commit `sha` with an unexpired artifact `name`,
   * and unpacks it into `dir` (safe paths and size caps enforced). Null when there is none.
   */
  fetchResults(input: {
    pr: PullRequestRef
    sha: string
    branch: string
    name: string
    dir: string
  }): Promise<{
    runId: number
    runUrl: string
    createdAt: string
  } | null>
}

/**
 * Resolves the baseline from the merge base's results artifact: finds the run for the PR's merge-base
 * commit on the base branch, downloads its artifact into a fresh temporary directory, and records the
 * source with its age (a warning when older than `maxAgeDays`). The caller loads it like any
 * directory, so its contents are validated as data by the contract schemas.
 */
export async function resolveMergeBaseBaseline(
  artifacts: MergeBaseArtifacts,
  pr: PullRequestRef,
  options: { artifact: string; maxAgeDays: number; now: Date },
): Promise<{ dir: string; source: BaselineSource; warnings: string[] }> {
  const base = await artifacts.mergeBase(pr)
  const dir = await mkdtemp(path.join(tmpdir(), 'llmops-baseline-'))
  const found = await artifacts.fetchResults({
    pr,
    sha: base.sha,
    branch: base.branch,
    name: options.artifact,
    dir,
  })
  if (!found) {
    throw new ConfigurationError(
      `no '${options.artifact}' artifact from a successful run on ${base.branch} at the merge base ${base.sha.slice(0, 12)}: ` +
        'run the eval workflow on pushes to the default branch (it uploads the artifact), or evaluate the baseline side by side',
    )
  }
  const ageDays = (options.now.getTime() - Date.parse(found.createdAt)) / 86_400_000
  const warnings =
    ageDays > options.maxAgeDays
      ? [
          `the baseline artifact is ${ageDays.toFixed(1)} days old (max_age_days ${options.maxAgeDays}): re-run the default-branch workflow to refresh it`,
        ]
      : []
  return {
    dir,
    warnings,
    source: {
      kind: 'merge-base',
      description: `artifact '${options.artifact}' of run ${found.runId} at merge base ${base.sha.slice(0, 12)} on ${base.branch}`,
      commit: base.sha,
      created_at: found.createdAt,
      age_days: Number.isFinite(ageDays) ? ageDays : null,
      url: found.runUrl,
    },
  }
}
