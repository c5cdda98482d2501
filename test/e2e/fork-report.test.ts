import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadProfile } from '../../src/sim/profile.js'
import { startSimServer } from '../../src/sim/server.js'
import { DEFAULT_TOKEN, startGitHubDouble, type GitHubDouble } from '../doubles/github/server.js'
import { doubleEnv } from '../helpers/github.js'
import { runBundledCli } from '../helpers/run-bundle.js'
import { actBinary, makeOrigin, runAct, standIns, type OriginRepo } from './act.js'
import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'

const REPO = 'acme/models'
const fixtures = path.resolve(import.meta.dirname, '../../fixtures/eval')
const CONFIG = `version: 1
providers:
  candidate: { base_url: '\${SIM_URL}', model: candidate, concurrency: 4 }
  baseline: { base_url: '\${SIM_URL}', model: baseline, concurrency: 4 }
suites:
  - name: qa
    dataset: qa.jsonl
    system: Answer with the answer only, no explanation.
    prompt: '{{ question }}'
    reference: answer
    generation: { temperature: 0, max_tokens: 32, seed: 1 }
    metrics: [exact]
`
let origin: OriginRepo
let headSha: string
let double: GitHubDouble
/** results of `llmops eval` per provider: what the untrusted workflow would have uploaded. */
const results: Record<string, Record<string, string>> = {}

function filesUnder(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) Object.assign(out, filesUnder(full, `${prefix}${name}/`))
    else out[`${prefix}${name}`] = readFileSync(full, 'utf8')
  }
  return out
}

beforeAll(async () => {
  actBinary()
  const files = {
    '.github/llmops.yml': CONFIG,
    '.github/qa.jsonl': readFileSync(path.join(fixtures, 'qa.jsonl'), 'utf8'),
  }
  origin = await makeOrigin(files)
  headSha = origin.commitOnBranch('feature', { 'models/pin.txt': 'candidate\n' })
  const sim = await startSimServer({
    profile: await loadProfile(path.join(fixtures, 'sim-profile.yml')),
  })
  try {
    for (const provider of ['baseline', 'candidate']) {
      const out = mkdtempSync(path.join(tmpdir(), `llmops-e2e-${provider}-`))
      const run = await runBundledCli(
        [
          'eval',
          '--config',
          path.join(origin.dir, '.github/llmops.yml'),
          '--provider',
          provider,
          '--out',
          out,
        ],
        { env: { SIM_URL: sim.url } },
      )
      expect(run.exitCode, run.stderr).toBe(0)
      results[provider] = Object.fromEntries(
        Object.entries(filesUnder(out)).map(([k, v]) => [`eval/${k}`, v]),
      )
    }
  } finally {
    await sim.close()
  }
}, 900_000)

beforeEach(async () => {
  double = await startGitHubDouble()
})

afterEach(async () => {
  await double.close()
})

describe('pr-gate-report.yml (fork-safe reporter) under act', () => {
  it('downloads the untrusted artifact, compares it with the merge-base artifact and posts', async () => {
    const workflow = '.github/workflows/pr-gate-untrusted.yml'
    double.state.seedWorkflow({ repo: REPO, path: workflow, name: 'llmops PR gate (untrusted)' })
    double.state.seedPull({
      repo: REPO,
      number: 7,
      headSha,
      headRef: 'feature',
      headRepo: 'fork/models',
      baseSha: origin.baseSha,
    })
    double.state.setMergeBase(REPO, 'main', headSha, origin.baseSha)
    double.state.seedWorkflowRun({
      repo: REPO,
      path: workflow,
      headSha: origin.baseSha,
      artifacts: [{ name: 'llmops-results', files: results.baseline! }],
    })
    const untrusted = double.state.seedWorkflowRun({
      repo: REPO,
      path: workflow,
      headSha,
      headBranch: 'feature',
      event: 'pull_request',
      artifacts: [{ name: 'llmops-results', files: results.candidate! }],
    })
    const run = await runAct({
      origin,
      workflow: 'pr-gate-report.yml',
      eventName: 'workflow_run',
      event: {
        action: 'completed',
        workflow_run: {
          id: untrusted.id,
          name: 'llmops PR gate (untrusted)',
          event: 'pull_request',
          status: 'completed',
          conclusion: 'success',
          head_sha: headSha,
          head_branch: 'feature',
          head_repository: { full_name: 'fork/models', owner: { login: 'fork' } },
          pull_requests: [],
        },
        repository: { full_name: REPO },
      },
      repository: REPO,
      path: [path.join(standIns, 'bin')],
      env: doubleEnv(double),
      secrets: { GITHUB_TOKEN: DEFAULT_TOKEN },
    })
    expect(run.exitCode, run.log).toBe(0)
    const comments = double.state.commentsOn(REPO, 7)
    expect(comments, run.log).toHaveLength(1)
    expect(comments[0]!.body).toContain(`<!-- llmops:sha=${headSha} -->`)
    const checks = double.state.checkRuns.filter((c) => c.headSha === headSha)
    expect(checks).toHaveLength(1)
    expect(checks[0]!.status).toBe('completed')
  })
})
