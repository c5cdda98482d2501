import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { resultRowSchema } from '../../src/contracts/results.js'
import { summarySchema } from '../../src/contracts/summary.js'
import {
  BOT_IDENTITY,
  DEFAULT_TOKEN,
  startGitHubDouble,
  type GitHubDouble,
} from '../doubles/github/server.js'
import { doubleEnv } from '../helpers/github.js'
import { bundlePath } from '../helpers/run-bundle.js'
import { actBinary, makeOrigin, runAct, standIns, type ActRun, type OriginRepo } from './act.js'

// The fork-safe pair as a pair: pr-gate-untrusted.yml runs for a push to main (the merge-base
// baseline) and for a fork's pull request, each uploading to act's artifact server; those two
// artifacts, byte for byte, are what pr-gate-report.yml downloads through the GitHub double.

const REPO = 'acme/models'
const FORK = 'fork-owner/models'
const UNTRUSTED = '.github/workflows/pr-gate-untrusted.yml'
const UNTRUSTED_NAME = 'llmops PR gate (untrusted)'
const ARTIFACT = 'llmops-results'
/** The token the untrusted runs get: it must never be written anywhere, and never used to write. */
const FORK_TOKEN = 'ghs_e2eForkReadOnlyToken0000000000000000'
const INJECTION = '<img src=x onerror=alert(1)> @octocat ![p](https://evil.example/p.png)'
const fixtures = path.resolve(import.meta.dirname, '../../fixtures/eval')
const examples = path.resolve(import.meta.dirname, '../../examples/workflows')

const CONFIG = `version: 1
providers:
  candidate: { base_url: '\${CANDIDATE_URL}', model: tiny, concurrency: 4 }
suites:
  - name: qa
    dataset: qa.jsonl
    system: Answer with the answer only, no explanation.
    prompt: '{{ question }}'
    reference: answer
    generation: { temperature: 0, max_tokens: 32, seed: 1 }
    metrics: [exact]
safety:
  toxicity: { scorer: lexicon }
  pii: { enabled: true }
`

interface SimRule {
  match: string
  reply?: string
  prefer?: string
}

/**
 * The "model file" the llama_cpp.server stand-in serves is a simulator profile with one model,
 * `tiny`. On main it answers like the fixture's baseline; the fork's PR changes it so three answers
 * are wrong, one of them a Markdown/HTML injection with an @mention.
 */
function modelFiles(): { base: string; pr: string } {
  const profile = parseYaml(readFileSync(path.join(fixtures, 'sim-profile.yml'), 'utf8')) as {
    models: { baseline: { rules: SimRule[] } }
  }
  const rules = profile.models.baseline.rules
  const wrong: SimRule[] = [
    { match: 'capital of Japan', reply: INJECTION },
    { match: 'leap year', reply: '365' },
    { match: 'hexagon', reply: '8' },
  ]
  return {
    base: stringifyYaml({ models: { tiny: { rules } } }),
    pr: stringifyYaml({ models: { tiny: { rules: [...wrong, ...rules] } } }),
  }
}

let origin: OriginRepo
let headSha: string
let bundle: string
let double: GitHubDouble

/** One untrusted run: act's result, the uploaded zip as stored by act's artifact server, its files. */
interface UntrustedRun {
  act: ActRun
  zip: Uint8Array
  files: Record<string, string>
  requests: GitHubDouble['state']['requests']
}
const untrusted: Partial<Record<'push' | 'pull_request', UntrustedRun>> = {}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const repository = { full_name: REPO, name: 'models', owner: { login: 'acme' }, fork: false }
const forkRepository = {
  full_name: FORK,
  name: 'models',
  owner: { login: 'fork-owner' },
  fork: true,
}

function pullRequestEvent() {
  return {
    action: 'opened',
    number: 7,
    pull_request: {
      number: 7,
      state: 'open',
      title: 'Tune the model',
      user: { login: 'fork-owner', type: 'User' },
      head: { sha: headSha, ref: 'feature', label: 'fork-owner:feature', repo: forkRepository },
      base: { sha: origin.baseSha, ref: 'main', label: 'acme:main', repo: repository },
    },
    repository,
    sender: { login: 'fork-owner', type: 'User' },
  }
}

function pushEvent() {
  return {
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: origin.baseSha,
    head_commit: { id: origin.baseSha },
    repository,
    sender: { login: 'acme-maintainer', type: 'User' },
  }
}

/** Runs pr-gate-untrusted.yml with its own double (read-only token) and act's artifact server. */
async function runUntrusted(kind: 'push' | 'pull_request'): Promise<UntrustedRun> {
  const own = await startGitHubDouble({ tokens: { [FORK_TOKEN]: BOT_IDENTITY } })
  try {
    const store = mkdtempSync(path.join(tmpdir(), 'llmops-e2e-artifact-server-'))
    const act = await runAct({
      origin,
      workflow: 'pr-gate-untrusted.yml',
      eventName: kind,
      event: kind === 'push' ? pushEvent() : pullRequestEvent(),
      repository: REPO,
      ...(kind === 'pull_request' ? { sha: headSha } : {}),
      path: [path.join(standIns, 'bin')],
      env: { ...doubleEnv(own, FORK_TOKEN), E2E_BUNDLE: bundle },
      // A fork's pull request gets no secrets, only the read-only GITHUB_TOKEN.
      secrets: { GITHUB_TOKEN: FORK_TOKEN },
      artifactServer: { path: store, port: await freePort() },
    })
    if (process.env.E2E_DUMP) console.log(act.log)
    // act's artifact server keeps a v4 upload at <path>/<run id>/<name>/<name>.zip (run id 4242).
    const stored = path.join(store, '4242', ARTIFACT, `${ARTIFACT}.zip`)
    expect(existsSync(stored), act.log).toBe(true)
    const zip = new Uint8Array(readFileSync(stored))
    const files = Object.fromEntries(
      Object.entries(unzipSync(zip)).map(([name, bytes]) => [name, strFromU8(bytes)]),
    )
    return { act, zip, files, requests: [...own.state.requests] }
  } finally {
    await own.close()
  }
}

function rows(files: Record<string, string>) {
  return (files['eval/results.jsonl'] ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => resultRowSchema.parse(JSON.parse(line)))
}

/** The comment body without its fenced code blocks, where Markdown and HTML are inert. */
function outsideFences(body: string): string {
  return body.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, '')
}

beforeAll(async () => {
  actBinary()
  bundle = await bundlePath()
  const model = modelFiles()
  origin = await makeOrigin({
    '.github/llmops.yml': CONFIG,
    '.github/qa.jsonl': readFileSync(path.join(fixtures, 'qa.jsonl'), 'utf8'),
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
      const run = await runUntrusted(kind)
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
  async function report(prArtifact: Uint8Array, seed: () => void = () => undefined) {
    const push = untrusted.push
    const pr = untrusted.pull_request
    if (!push || !pr)
      throw new Error('the untrusted runs did not produce artifacts (see the test above)')
    double.state.seedWorkflow({ repo: REPO, path: UNTRUSTED, name: UNTRUSTED_NAME })
    double.state.seedPull({
      repo: REPO,
      number: 7,
      headSha,
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
})
