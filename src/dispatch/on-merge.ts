import picomatch from 'picomatch'
import { z } from 'zod'
import type { Logger } from '../core/logger.js'
import { ConfigurationError, getErrorMessage } from '../errors.js'
import { createGitHubClient, type GitHubClient } from '../github/client.js'
import { upsertStickyComment } from '../github/comments.js'
import { pushEventSchema, readRunContext, type RunContext } from '../github/context.js'
import { changedFiles, pullsForCommit } from '../github/pulls.js'
import type { onMergeSchema } from './config-schema.js'

export type OnMergeConfig = z.infer<typeof onMergeSchema>

/** Which job asks: the fine-tune or the deploy to one environment. */
export type MergeJob = { kind: 'finetune' } | { kind: 'deploy'; environment: string }

/** The merged pull request a run is about. */
export interface MergedPull {
  number: number
  labels: string[]
}

/** What the event says about the merge; `changedFiles` is undefined when it cannot be known. */
export interface MergeFacts {
  event: 'push' | 'pull_request' | 'workflow_dispatch'
  /** False for a push to another branch or a pull request closed without merging. */
  merged: boolean
  ref?: string
  pull?: MergedPull
  changedFiles?: string[]
}

export type MergeDecision = { run: true; reason: string } | { run: false; reason: string }

/**
 * Decides whether a merge triggers a job. Without `on_merge` every job runs (the behaviour before
 * the key existed); `workflow_dispatch` always runs. Otherwise the job must be enabled
 * (`finetune: true`, the environment listed under `deploy`), the PR must carry one of `labels`
 * when given, and a changed file must match one of the `paths` globs when given.
 */
export function decideOnMerge(
  config: OnMergeConfig | undefined,
  job: MergeJob,
  facts: MergeFacts,
): MergeDecision {
  if (facts.event === 'workflow_dispatch') return { run: true, reason: 'manual run' }
  if (!config) return { run: true, reason: 'no on_merge configuration' }
  if (!facts.merged)
    return {
      run: false,
      reason:
        facts.event === 'push'
          ? `push to ${facts.ref ?? 'a ref'} is not a push to the default branch`
          : 'pull request closed without merging',
    }
  if (job.kind === 'finetune' && !config.finetune)
    return { run: false, reason: 'on_merge.finetune is not true' }
  if (job.kind === 'deploy' && !(config.deploy ?? []).includes(job.environment))
    return { run: false, reason: `on_merge.deploy does not list '${job.environment}'` }
  if (config.labels && config.labels.length > 0) {
    if (!facts.pull) return { run: false, reason: 'no merged pull request found for the commit' }
    const hit = facts.pull.labels.find((l) => config.labels?.includes(l))
    if (hit === undefined)
      return {
        run: false,
        reason: `pull request #${facts.pull.number} has none of the labels ${config.labels.join(', ')}`,
      }
  }
  if (config.paths && config.paths.length > 0 && facts.changedFiles !== undefined) {
    const match = picomatch(config.paths, { dot: true })
    const file = facts.changedFiles.find((f) => match(f))
    if (file === undefined)
      return { run: false, reason: `no changed file matches ${config.paths.join(', ')}` }
    return { run: true, reason: `${file} matches on_merge.paths` }
  }
  return { run: true, reason: 'on_merge conditions met' }
}

const pullRequestPayload = z
  .object({
    action: z.string(),
    pull_request: z
      .object({
        number: z.number().int().positive(),
        merged: z.boolean().nullish(),
        labels: z.array(z.object({ name: z.string() }).loose()).optional(),
        base: z.object({ sha: z.string() }).loose(),
        head: z.object({ sha: z.string() }).loose(),
      })
      .loose(),
  })
  .loose()

const NULL_SHA = /^0{40}$/

/** Reads the merge facts of a `push` or `pull_request` run from the payload and the API. */
export async function readMergeFacts(
  client: Pick<GitHubClient, 'rest'>,
  run: RunContext,
): Promise<MergeFacts> {
  if (run.eventName === 'pull_request') {
    const { pull_request: pr, action } = pullRequestPayload.parse(run.payload)
    const merged = action === 'closed' && pr.merged === true
    return {
      event: 'pull_request',
      merged,
      pull: { number: pr.number, labels: (pr.labels ?? []).map((l) => l.name) },
      ...(merged
        ? { changedFiles: await changedFiles(client, run.repo, pr.base.sha, pr.head.sha) }
        : {}),
    }
  }
  if (run.eventName !== 'push') return { event: 'workflow_dispatch', merged: true }
  const push = pushEventSchema.parse(run.payload)
  const defaultBranch = push.repository.default_branch
  const merged = defaultBranch === undefined || push.ref === `refs/heads/${defaultBranch}`
  if (!merged) return { event: 'push', merged, ref: push.ref }
  const pulls = await pullsForCommit(client, run.repo, push.after)
  const pull =
    pulls.find((p) => p.merged && p.mergeCommitSha === push.after) ?? pulls.find((p) => p.merged)
  return {
    event: 'push',
    merged,
    ref: push.ref,
    ...(pull ? { pull: { number: pull.number, labels: pull.labels } } : {}),
    ...(NULL_SHA.test(push.before)
      ? {}
      : { changedFiles: await changedFiles(client, run.repo, push.before, push.after) }),
  }
}

/** The merge gate of one command run: the decision and a way to comment on the merged PR. */
export interface MergeGate {
  decision: MergeDecision
  /** Upserts the sticky comment `kind=merge key=<key>` on the merged PR; failures only warn. */
  comment(key: string, body: string): Promise<void>
  runUrl?: string
  /** The merged pull request, when the event names one. */
  pull?: MergedPull
}

type Env = Readonly<Record<string, string | undefined>>

/**
 * The gate for `llmops finetune` / `llmops deploy`. It applies only on `push` and `pull_request`
 * events; flag-only CLI use (no event) and `workflow_dispatch` always run and comment nowhere.
 */
export async function mergeGate(
  env: Env,
  config: OnMergeConfig | undefined,
  job: MergeJob,
  logger: Logger,
  client?: GitHubClient,
): Promise<MergeGate> {
  const none: MergeGate = { decision: { run: true, reason: 'not a merge event' }, comment: noop }
  const eventName = env.GITHUB_EVENT_NAME
  if ((eventName !== 'push' && eventName !== 'pull_request') || !env.GITHUB_REPOSITORY) return none
  const run = readRunContext(env)
  if (!env.GITHUB_TOKEN) {
    if (config)
      throw new ConfigurationError(
        'on_merge needs GITHUB_TOKEN to find the merged pull request and its changed files',
      )
    return none
  }
  const gh = client ?? createGitHubClient(env, logger)
  let facts: MergeFacts
  try {
    facts = await readMergeFacts(gh, run)
  } catch (error) {
    if (config) throw error
    logger.warn(`could not find the merged pull request: ${getErrorMessage(error)}`)
    return none
  }
  const pull = facts.merged ? facts.pull : undefined
  return {
    decision: decideOnMerge(config, job, facts),
    ...(run.runUrl ? { runUrl: run.runUrl } : {}),
    ...(pull ? { pull } : {}),
    async comment(key, body) {
      if (!pull) return
      try {
        await upsertStickyComment(gh, {
          repo: run.repo,
          issueNumber: pull.number,
          kind: 'merge',
          key,
          body,
          ...(/^[0-9a-f]{40}$/.test(run.sha) ? { headSha: run.sha } : {}),
          logger,
        })
      } catch (error) {
        logger.warn(`could not comment on pull request #${pull.number}: ${getErrorMessage(error)}`)
      }
    },
  }
}

async function noop(): Promise<void> {}
