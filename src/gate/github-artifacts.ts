import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fetchRunArtifact } from '../github/artifacts.js'
import type { GitHubClient } from '../github/client.js'
import { getMergeBase, getPull } from '../github/pulls.js'
import type { MergeBaseArtifacts } from './merge-base.js'

/**
 * The merge-base baseline over the GitHub adapters: the PR's base branch from `pulls.get`, the merge
 * base from `compare`, the artifact from the newest successful run of that commit on that branch
 * that the repository itself started (never a pull request's run, never a fork's).
 * Files are written only under `dir` (the adapter already refuses absolute and `..` entries).
 */
export function githubMergeBaseArtifacts(client: GitHubClient): MergeBaseArtifacts {
  return {
    async mergeBase(pr) {
      const repo = { owner: pr.owner, repo: pr.repo }
      const pull = await getPull(client, repo, pr.number)
      return {
        sha: await getMergeBase(client, repo, pull.baseRef, pr.headSha),
        branch: pull.baseRef,
      }
    },
    async fetchResults({ pr, sha, branch, name, dir }) {
      const found = await fetchRunArtifact(
        client,
        { owner: pr.owner, repo: pr.repo },
        { headSha: sha, branch, name, trusted: true },
      )
      if (!found) return null
      const root = path.resolve(dir)
      for (const [file, bytes] of found.files) {
        const target = path.resolve(root, file)
        if (!target.startsWith(root + path.sep)) continue
        await mkdir(path.dirname(target), { recursive: true })
        await writeFile(target, bytes)
      }
      return {
        runId: found.run.id,
        runUrl: found.run.htmlUrl,
        createdAt: found.artifact.createdAt ?? found.run.createdAt,
      }
    },
  }
}
