import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { fetchRunArtifact, unzipLimited } from '../../../src/github/artifacts.js'
import { createDeployment, setDeploymentStatus } from '../../../src/github/deployments.js'
import { dispatchRepositoryEvent, dispatchWorkflow } from '../../../src/github/dispatch.js'
import { getPermissionLevel } from '../../../src/github/permissions.js'
import {
  checkSuiteTimes,
  getMergeBase,
  getPull,
  pullsForCommit,
} from '../../../src/github/pulls.js'
import { addReaction } from '../../../src/github/reactions.js'
import { InfrastructureError, UsageError } from '../../../src/errors.js'
import { zipSync, strToU8, strFromU8 } from 'fflate'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleClient } from '../../helpers/github.js'

const repo = { owner: 'acme', repo: 'models' }
const HEAD = 'a'.repeat(40)
const BASE = 'b'.repeat(40)
let gh: GitHubDouble
beforeEach(async () => {
  gh = await startGitHubDouble()
})
afterEach(async () => {
  await gh.close()
})

describe('permissions', () => {
  it.each(['admin', 'maintain', 'write', 'triage', 'read'] as const)(
    'reads %s from user.permissions',
    async (level) => {
      gh.state.setPermission('pat', level)
      expect(await getPermissionLevel(doubleClient(gh), repo, 'pat')).toBe(level)
    },
  )

  it('throws on 404 and on server errors so callers deny', async () => {
    gh.state.setRepo('acme/models', { private: true })
    await expect(getPermissionLevel(doubleClient(gh), repo, 'stranger')).rejects.toBeInstanceOf(
      InfrastructureError,
    )
    gh.state.setPermission('pat', 'admin')
    gh.faults.next('repos/get-collaborator-permission-level', [
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    ])
    await expect(getPermissionLevel(doubleClient(gh), repo, 'pat')).rejects.toThrow(/HTTP 500/)
  })
})

describe('reactions', () => {
  it('adds reactions and only warns when that fails', async () => {
    const [comment] = gh.state.addComments(1, { repo: 'acme/models', issueNumber: 1 })
    const logger = memoryLogger()
    expect(
      await addReaction(doubleClient(gh), repo, { commentId: comment!.id }, 'eyes', logger),
    ).toBe(true)
    expect(comment!.reactions.map((r) => r.content)).toEqual(['eyes'])
    expect(await addReaction(doubleClient(gh), repo, { commentId: 12345 }, 'rocket', logger)).toBe(
      false,
    )
    expect(logger.lines.join('\n')).toContain('could not add the rocket reaction to comment 12345')
    const review = gh.state.seedReviewComment('acme/models', 1, '/eval', {
      login: 'mona',
      id: 1,
      type: 'User',
    })
    expect(
      await addReaction(
        doubleClient(gh),
        repo,
        { commentId: review.id, kind: 'review' },
        '+1',
        logger,
      ),
    ).toBe(true)
    expect(review.reactions).toHaveLength(1)
  })
})

describe('deployments', () => {
  it('creates a SHA deployment with auto_merge off and explicit contexts, then statuses', async () => {
    const outcome = await createDeployment(doubleClient(gh), repo, {
      sha: HEAD,
      environment: 'staging',
      requiredContexts: ['llmops/gate'],
      payload: { model: 'm' },
    })
    expect(outcome.kind).toBe('conflict')
    expect(outcome.kind === 'conflict' && outcome.failingContexts).toEqual([
      { context: 'llmops/gate', state: 'missing' },
    ])
    const created = await createDeployment(doubleClient(gh), repo, {
      sha: HEAD,
      environment: 'staging',
      requiredContexts: [],
    })
    expect(created.kind).toBe('created')
    const request = gh.state.deployments[0]!.request
    expect(request).toMatchObject({
      ref: HEAD,
      auto_merge: false,
      required_contexts: [],
      environment: 'staging',
    })
    const id = created.kind === 'created' ? created.id : 0
    await setDeploymentStatus(doubleClient(gh), repo, id, {
      state: 'failure',
      description: 'x'.repeat(300),
      logUrl: 'https://example.test/run',
      environmentUrl: 'https://staging.example.test',
    })
    const status = gh.state.deployments[0]!.statuses[0]!
    expect(status.description.length).toBe(140)
    expect(status).toMatchObject({
      state: 'failure',
      logUrl: 'https://example.test/run',
      environmentUrl: 'https://staging.example.test',
    })
  })

  it('reports 202 auto-merge as its own outcome', async () => {
    gh.faults.next('repos/create-deployment', [
      { status: 202, body: { message: 'Auto-merged main into x on deployment.' } },
    ])
    expect(
      await createDeployment(doubleClient(gh), repo, {
        sha: HEAD,
        environment: 'production',
        requiredContexts: [],
      }),
    ).toEqual({
      kind: 'auto-merged',
      message: 'Auto-merged main into x on deployment.',
    })
  })
})

describe('dispatch', () => {
  it('dispatches a workflow with run details and typed inputs', async () => {
    const run = await dispatchWorkflow(doubleClient(gh), repo, {
      workflow: 'eval.yml',
      ref: 'main',
      inputs: { sha: HEAD, pr: 3, dry: false },
    })
    expect(run.runId).toBe(gh.state.workflowRuns[0]!.id)
    expect(run.htmlUrl).toBe(`https://github.com/acme/models/actions/runs/${run.runId}`)
    expect(gh.state.workflowRuns[0]!.inputs).toEqual({ sha: HEAD, pr: 3, dry: false })
  })

  it('refuses more than 25 inputs and more than 10 payload keys before calling GitHub', async () => {
    const inputs = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`i${i}`, 'v']))
    await expect(
      dispatchWorkflow(doubleClient(gh), repo, { workflow: 'eval.yml', ref: 'main', inputs }),
    ).rejects.toBeInstanceOf(UsageError)
    const payload = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]))
    await expect(
      dispatchRepositoryEvent(doubleClient(gh), repo, {
        eventType: 'llmops-eval',
        clientPayload: payload,
      }),
    ).rejects.toThrow(/at most 10/)
    expect(gh.state.requests).toHaveLength(0)
  })

  it('sends repository_dispatch with the client payload', async () => {
    await dispatchRepositoryEvent(doubleClient(gh), repo, {
      eventType: 'llmops-eval',
      clientPayload: { command: 'eval', sha: HEAD },
    })
    expect(gh.state.repositoryDispatches).toMatchObject([
      { eventType: 'llmops-eval', clientPayload: { command: 'eval', sha: HEAD } },
    ])
  })
})

describe('pulls', () => {
  it('reads a PR, its merge base, PRs of a commit and check-suite times', async () => {
    gh.state.seedPull({
      repo: 'acme/models',
      number: 4,
      headSha: HEAD,
      headRepo: 'fork/models',
      mergeCommitSha: 'c'.repeat(40),
    })
    const pr = await getPull(doubleClient(gh), repo, 4)
    expect(pr).toMatchObject({
      number: 4,
      headSha: HEAD,
      fork: true,
      headRepo: 'fork/models',
      state: 'open',
    })
    gh.state.setMergeBase('acme/models', 'main', HEAD, BASE)
    expect(await getMergeBase(doubleClient(gh), repo, 'main', HEAD)).toBe(BASE)
    expect(
      (await pullsForCommit(doubleClient(gh), repo, 'c'.repeat(40))).map((p) => p.number),
    ).toEqual([4])
    gh.state.seedCheckSuite('acme/models', HEAD, { createdAt: '2026-01-02T00:00:00Z' })
    gh.state.seedCheckSuite('acme/models', HEAD, { createdAt: '2026-01-01T00:00:00Z' })
    expect(await checkSuiteTimes(doubleClient(gh), repo, HEAD)).toEqual([
      '2026-01-01T00:00:00Z',
      '2026-01-02T00:00:00Z',
    ])
    await expect(getPull(doubleClient(gh), repo, 99)).rejects.toThrow(/HTTP 404/)
  })
})

describe('artifacts', () => {
  it('downloads the results artifact of the successful default-branch run of a commit', async () => {
    gh.state.seedWorkflowRun({
      repo: 'acme/models',
      headSha: BASE,
      conclusion: 'failure',
      artifacts: [{ name: 'llmops-results', files: { 'summary.json': '{"bad":1}' } }],
    })
    gh.state.seedWorkflowRun({
      repo: 'acme/models',
      headSha: BASE,
      artifacts: [
        { name: 'other', files: { x: 'y' } },
        { name: 'llmops-results', files: { 'eval/summary.json': '{"ok":1}' } },
      ],
    })
    const found = await fetchRunArtifact(doubleClient(gh), repo, {
      headSha: BASE,
      branch: 'main',
      name: 'llmops-results',
    })
    expect(found?.run.headSha).toBe(BASE)
    expect(strFromU8(found!.files.get('eval/summary.json')!)).toBe('{"ok":1}')
    expect(
      await fetchRunArtifact(doubleClient(gh), repo, {
        headSha: HEAD,
        branch: 'main',
        name: 'llmops-results',
      }),
    ).toBeUndefined()
  })

  it('takes a trusted baseline only from runs the repository started, never a PR or a fork', async () => {
    const forged = { name: 'llmops-results', files: { 'eval/summary.json': '{"forged":1}' } }
    // A fork's PR from a branch named main at the merge-base commit, and a same-repo PR run.
    gh.state.seedWorkflowRun({
      repo: 'acme/models',
      headSha: BASE,
      event: 'pull_request',
      headRepo: 'fork-owner/models',
      artifacts: [forged],
    })
    gh.state.seedWorkflowRun({
      repo: 'acme/models',
      headSha: BASE,
      event: 'pull_request',
      artifacts: [forged],
    })
    const query = { headSha: BASE, branch: 'main', name: 'llmops-results' }
    expect(
      await fetchRunArtifact(doubleClient(gh), repo, { ...query, trusted: true }),
    ).toBeUndefined()
    // Without the filter the newest run wins, which is how a forged baseline would get in.
    const any = await fetchRunArtifact(doubleClient(gh), repo, query)
    expect(strFromU8(any!.files.get('eval/summary.json')!)).toBe('{"forged":1}')
    gh.state.seedWorkflowRun({
      repo: 'acme/models',
      headSha: BASE,
      event: 'push',
      artifacts: [{ name: 'llmops-results', files: { 'eval/summary.json': '{"ok":1}' } }],
    })
    gh.state.seedWorkflowRun({
      repo: 'acme/models',
      headSha: BASE,
      event: 'pull_request',
      headRepo: 'fork-owner/models',
      artifacts: [forged],
    })
    const trusted = await fetchRunArtifact(doubleClient(gh), repo, { ...query, trusted: true })
    expect(trusted?.run.event).toBe('push')
    expect(strFromU8(trusted!.files.get('eval/summary.json')!)).toBe('{"ok":1}')
  })

  it('refuses zips with unsafe paths or too much data', async () => {
    await expect(unzipLimited(zipSync({ '../evil': strToU8('x') }))).rejects.toThrow(/unsafe path/)
    await expect(
      unzipLimited(zipSync({ a: strToU8('x'.repeat(100)) }), { maxBytes: 10 }),
    ).rejects.toThrow(/uncompressed/)
  })
})
