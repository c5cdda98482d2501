import { readFileSync } from 'node:fs'
import path from 'node:path'
import { strToU8, zipSync } from 'fflate'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { summarySchema } from '../../src/contracts/summary.js'
import { DEFAULT_TOKEN, startGitHubDouble, type GitHubDouble } from '../doubles/github/server.js'
import { doubleEnv } from '../helpers/github.js'
import { bundlePath } from '../helpers/run-bundle.js'
import { actBinary, makeOrigin, runAct, standIns, type OriginRepo } from './act.js'
import {
  ARTIFACT,
  CONFIG,
  evalFixtures,
  FORK,
  FORK_TOKEN,
  forkRepository,
  INJECTION,
  modelFiles,
  outsideFences,
  REPO,
  repository,
  resultRows as rows,
  runUntrusted,
  UNTRUSTED_NAME,
  type UntrustedRun,
} from './fixtures/fork-pair.js'

// The fork-safe pair as a pair: pr-gate-untrusted.yml runs for a push to main (the merge-base
// baseline) and for a fork's pull request, each uploading to act's artifact server; those two
// artifacts, byte for byte, are what pr-gate-report.yml downloads through the GitHub double.

const UNTRUSTED = '.github/workflows/pr-gate-untrusted.yml'
const examples = path.resolve(import.meta.dirname, '../../examples/workflows')

let origin: OriginRepo
let headSha: string
let bundle: string
let double: GitHubDouble
const untrusted: Partial<Record<'push' | 'pull_request', UntrustedRun>> = {}

beforeAll(async () => {
  actBinary()
  bundle = await bundlePath()
  const model = modelFiles()
  origin = await makeOrigin({
    '.github/llmops.yml': CONFIG,
    '.github/qa.jsonl': readFileSync(path.join(evalFixtures, 'qa.jsonl'), 'utf8'),
    'models/tiny.gguf': model.base,
  })
  headSha = origin.commitOnBranch('feature', { 'models/tiny.gguf': model.pr })
}, 900_000)

beforeEach(async () => {
  double = await startGitHubDouble()
})

afterEach(async () => {
  await double.close()
})

describe('fork-safe pair under act: pr-gate-untrusted.yml, then pr-gate-report.yml on its artifact', () => {
  it('declares a read-only token and no secrets for the job that runs fork code', () => {
    // act does not enforce `permissions:`, and the double cannot see a token's scopes: what the
    // workflow asks GitHub for is checked here, what the run did with its token below.
    const text = readFileSync(path.join(examples, 'pr-gate-untrusted.yml'), 'utf8')
    const workflow = parseYaml(text) as {
      on: Record<string, unknown>
      permissions: unknown
      jobs: Record<
        string,
        { permissions?: unknown; steps: { uses?: string; with?: Record<string, unknown> }[] }
      >
    }
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push'])
    expect(workflow.permissions).toEqual({ contents: 'read' })
    for (const job of Object.values(workflow.jobs)) {
      expect(job.permissions).toBeUndefined()
      const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'))
      expect(checkout?.with?.['persist-credentials']).toBe(false)
    }
    expect(text).not.toMatch(/secrets\./)
  })

  it('runs for the push to main and for the fork PR: no API writes, a valid artifact uploaded', async () => {
    for (const kind of ['push', 'pull_request'] as const) {
      const run = await runUntrusted({ kind, origin, headSha, bundle })
      untrusted[kind] = run
      expect(run.act.exitCode, run.act.log).toBe(0)
      expect(run.act.log).toContain('Success - Main Upload the results')
      expect(run.act.log).toContain('upload-artifact stand-in: uploaded llmops-results')
      // The served model was stopped by the serve action's post step.
      expect(run.act.log).toContain('Success - Post Serve a small CPU model')
      // Nothing was written through the API (no comment, no check run, no status): at most reads.
      expect(run.requests.filter((r) => r.method !== 'GET')).toEqual([])

      expect(Object.keys(run.files).sort()).toEqual(
        expect.arrayContaining(['eval/results.jsonl', 'eval/summary.json']),
      )
      for (const [name, text] of Object.entries(run.files)) {
        // eval/ and the serve action's server.log (its default --out is under llmops-results/).
        expect(name).toMatch(/^(eval\/|serve\/server\.log$)/)
        expect(text, name).not.toContain(FORK_TOKEN)
      }
      const results = rows(run.files)
      expect(results).toHaveLength(10)
      for (const row of results) {
        expect(row).toMatchObject({
          suite: 'qa',
          provider: 'candidate',
          model: 'tiny',
          error: null,
        })
        expect(Object.keys(row.metrics)).toEqual(
          expect.arrayContaining(['exact', 'safety/toxicity', 'safety/pii']),
        )
      }
      const summary = summarySchema.parse(JSON.parse(run.files['eval/summary.json']!))
      // The commit that was evaluated; the report workflow still takes the SHA from workflow_run.
      expect(summary.provenance.commit).toBe(kind === 'push' ? origin.baseSha : headSha)
      const exact = summary.suites.qa?.providers.candidate?.metrics.exact
      expect(exact?.mean).toBe(kind === 'push' ? 1 : 0.7)
    }
    const pr = rows(untrusted.pull_request!.files)
    expect(pr.find((r) => r.case === 'qa-02')?.output).toBe(INJECTION)
  })

  /** Seeds the double as GitHub would be after both untrusted runs, then runs the reporter. */
  async function report(
    prArtifact: Uint8Array,
    seed: () => void = () => undefined,
    prHead: string = headSha,
  ) {
    const push = untrusted.push
    const pr = untrusted.pull_request
    if (!push || !pr)
      throw new Error('the untrusted runs did not produce artifacts (see the test above)')
    double.state.seedWorkflow({ repo: REPO, path: UNTRUSTED, name: UNTRUSTED_NAME })
    double.state.seedPull({
      repo: REPO,
      number: 7,
      headSha: prHead,
      headRef: 'feature',
      headRepo: FORK,
      baseSha: origin.baseSha,
    })
    double.state.setMergeBase(REPO, 'main', headSha, origin.baseSha)
    seed()
    const baseline = double.state.seedWorkflowRun({
      repo: REPO,
      path: UNTRUSTED,
      headSha: origin.baseSha,
      artifacts: [{ name: ARTIFACT, files: {} }],
    })
    baseline.artifacts[0]!.zip = push.zip
    const run = double.state.seedWorkflowRun({
      repo: REPO,
      path: UNTRUSTED,
      headSha,
      headBranch: 'feature',
      event: 'pull_request',
      artifacts: [{ name: ARTIFACT, files: {} }],
    })
    run.artifacts[0]!.zip = prArtifact
    const act = await runAct({
      origin,
      workflow: 'pr-gate-report.yml',
      eventName: 'workflow_run',
      event: {
        action: 'completed',
        workflow_run: {
          id: run.id,
          name: UNTRUSTED_NAME,
          event: 'pull_request',
          status: 'completed',
          conclusion: 'success',
          head_sha: headSha,
          head_branch: 'feature',
          head_repository: forkRepository,
          pull_requests: [],
        },
        repository,
      },
      repository: REPO,
      path: [path.join(standIns, 'bin')],
      env: doubleEnv(double),
      secrets: { GITHUB_TOKEN: DEFAULT_TOKEN },
    })
    if (process.env.E2E_DUMP) console.log(act.log)
    return act
  }

  function expectInert(body: string) {
    const visible = outsideFences(body)
    // Outside fences: no HTML tag, image or link survives (escaped text such as `\]\(` is inert).
    expect(visible).not.toMatch(/<img|<script|!\[p\]|\]\(javascript:/i)
    if (process.env.E2E_DUMP) console.log(body)
    // No mention pings anyone, inside a fence or out: the @ is followed by a zero-width joiner.
    expect(body).not.toMatch(/@(octocat|acme)/)
  }

  it('reports THAT artifact: one sticky comment on the PR, one check run on the head, inert text', async () => {
    const act = await report(untrusted.pull_request?.zip ?? new Uint8Array())
    expect(act.exitCode, act.log).toBe(0)
    const comments = double.state.comments.filter((c) => c.repo === REPO)
    expect(comments, act.log).toHaveLength(1)
    expect(comments[0]!.issueNumber).toBe(7)
    const body = comments[0]!.body
    expect(body).toContain(`<!-- llmops:sha=${headSha} -->`)
    expect(body).toContain('qa')
    expect(body).toContain('Regressed cases')
    expect(body).toContain('qa-02')
    // The injected answer is shown, but only inside a code fence, with the mention broken.
    expect(body).toContain('<img src=x onerror=alert(1)> @\u200doctocat')
    expectInert(body)
    const checks = double.state.checkRuns
    expect(checks).toHaveLength(1)
    expect(checks[0]).toMatchObject({ headSha, status: 'completed' })
  })

  it('ignores a forged PR number and escapes injected text in a tampered artifact', async () => {
    const files = { ...untrusted.pull_request?.files }
    const forged = '<script>alert(1)</script> [x](javascript:alert(1)) @acme/admins'
    // Fields the report renders outside code fences: the model name and the commit.
    const summary = JSON.parse(files['eval/summary.json'] ?? '{}') as {
      provenance: { models: Record<string, string>; commit: string | null }
    }
    summary.provenance.models = { candidate: forged }
    summary.provenance.commit = origin.baseSha
    files['eval/summary.json'] = JSON.stringify(summary)
    files['eval/results.jsonl'] = rows(files)
      .map((r) => JSON.stringify(r.case === 'qa-03' ? { ...r, output: forged } : r))
      .join('\n')
    // Metadata a hostile run could add, pointing the report at another PR and commit.
    const decoySha = 'd'.repeat(40)
    files['pr.json'] = JSON.stringify({ number: 99, head_sha: decoySha })
    files['pr-number'] = '99\n'
    const zip = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])))
    const act = await report(zip, () => {
      double.state.seedPull({
        repo: REPO,
        number: 99,
        headSha: decoySha,
        headRef: 'release',
        baseSha: origin.baseSha,
      })
    })
    expect(act.exitCode, act.log).toBe(0)
    expect(double.state.commentsOn(REPO, 99)).toEqual([])
    const comments = double.state.comments.filter((c) => c.repo === REPO)
    expect(comments, act.log).toHaveLength(1)
    expect(comments[0]!.issueNumber).toBe(7)
    const body = comments[0]!.body
    expect(body).toContain(`<!-- llmops:sha=${headSha} -->`)
    expect(body).not.toContain(decoySha)
    expect(body).toContain('&lt;script&gt;')
    expectInert(body)
    expect(double.state.checkRuns.map((c) => c.headSha)).toEqual([headSha])
  })

  it('posts nothing when the PR has moved on from the evaluated commit', async () => {
    // The fork pushed again after the run: PR 7's head is no longer the workflow_run's head SHA,
    // so no open PR matches and a report about the old commit must not land on the new head.
    const act = await report(
      untrusted.pull_request?.zip ?? new Uint8Array(),
      undefined,
      'e'.repeat(40),
    )
    expect(act.exitCode, act.log).toBe(0)
    expect(act.log).toContain('nothing to report')
    expect(double.state.comments).toEqual([])
    expect(double.state.checkRuns).toEqual([])
  })
})
