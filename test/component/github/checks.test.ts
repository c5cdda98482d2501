import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCheckRun, updateCheckRun, type CheckAnnotation } from '../../../src/github/checks.js'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleClient } from '../../helpers/github.js'

const repo = { owner: 'acme', repo: 'models' }
const SHA = '1'.repeat(40)
let gh: GitHubDouble
beforeEach(async () => {
  gh = await startGitHubDouble()
})
afterEach(async () => {
  await gh.close()
})

const annotations = (n: number): CheckAnnotation[] =>
  Array.from({ length: n }, (_, i) => ({
    path: 'evals/qa.jsonl',
    startLine: i + 1,
    level: 'warning',
    message: `case ${i + 1} regressed`,
  }))

describe('check runs', () => {
  it('creates a completed run and sends 120 annotations in batches of 50', async () => {
    const { id } = await createCheckRun(doubleClient(gh), repo, {
      name: 'llmops/gate (qa)',
      headSha: SHA,
      conclusion: 'failure',
      externalId: 'gate-qa',
      output: { title: 'Regression', summary: 'summary', annotations: annotations(120) },
    })
    const run = gh.state.checkRuns.find((r) => r.id === id)!
    expect(run).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      externalId: 'gate-qa',
      name: 'llmops/gate (qa)',
    })
    expect(run.annotations).toHaveLength(120)
    expect(run.annotations[119]).toMatchObject({
      start_line: 120,
      end_line: 120,
      annotation_level: 'warning',
    })
    const batches = gh.state.requests
      .filter((r) => r.operationId?.startsWith('checks/'))
      .map(
        (r) =>
          ((r.body as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length,
      )
    expect(batches).toEqual([50, 50, 20])
  })

  it('moves from in_progress to neutral and cuts summary and text at 65,535 characters', async () => {
    const client = doubleClient(gh)
    const { id } = await createCheckRun(client, repo, {
      name: 'llmops/gate',
      headSha: SHA,
      status: 'in_progress',
      detailsUrl: 'https://example.test/run',
    })
    expect(gh.state.checkRuns[0]).toMatchObject({ status: 'in_progress', conclusion: null })
    await updateCheckRun(client, repo, id, {
      conclusion: 'neutral',
      output: { title: 'Inconclusive', summary: 's'.repeat(70_000), text: 't'.repeat(70_000) },
    })
    const run = gh.state.checkRuns[0]!
    expect(run).toMatchObject({ status: 'completed', conclusion: 'neutral' })
    expect(run.output.summary!.length).toBeLessThanOrEqual(65_535)
    expect(run.output.text!.length).toBeLessThanOrEqual(65_535)
    expect(run.output.summary).toMatch(/truncated/)
  })

  it('reports a failed API call as an infrastructure error naming the check', async () => {
    gh.faults.next('checks/create', [
      { status: 403, body: { message: 'Resource not accessible by integration' } },
    ])
    await expect(
      createCheckRun(doubleClient(gh), repo, { name: 'x', headSha: SHA }),
    ).rejects.toThrow(
      "GitHub API: creating check run 'x' failed (HTTP 403): Resource not accessible by integration",
    )
  })
})
