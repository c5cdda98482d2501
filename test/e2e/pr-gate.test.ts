import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN, startGitHubDouble, type GitHubDouble } from '../doubles/github/server.js'
import { doubleEnv } from '../helpers/github.js'
import { bundlePath } from '../helpers/run-bundle.js'
import { actBinary, makeOrigin, runAct, standIns, type OriginRepo } from './act.js'

const REPO = 'acme/models'
const fixtures = path.resolve(import.meta.dirname, '../../fixtures/eval')
let origin: OriginRepo
let headSha: string
let double: GitHubDouble

/** The eval config of the example: one suite, providers read the URLs the serve steps print. */
const CONFIG = `version: 1
providers:
  candidate: { base_url: '\${CANDIDATE_URL}', model: candidate, concurrency: 4 }
  baseline: { base_url: '\${BASELINE_URL}', model: baseline, concurrency: 4 }
suites:
  - name: qa
    dataset: qa.jsonl
    system: Answer with the answer only, no explanation.
    prompt: '{{ question }}'
    reference: answer
    generation: { temperature: 0, max_tokens: 32, seed: 1 }
    metrics: [exact]
`

beforeAll(async () => {
  actBinary()
  origin = await makeOrigin({
    '.github/llmops.yml': CONFIG,
    '.github/qa.jsonl': readFileSync(path.join(fixtures, 'qa.jsonl'), 'utf8'),
    'models/pin.txt': 'baseline\n',
  })
  headSha = origin.commitOnBranch('feature', { 'models/pin.txt': 'candidate\n' })
}, 900_000)

beforeEach(async () => {
  double = await startGitHubDouble()
  double.state.seedPull({ repo: REPO, number: 1, headSha, baseSha: origin.baseSha })
})

afterEach(async () => {
  await double.close()
})

function pullRequestEvent() {
  const repository = { full_name: REPO, name: 'models', owner: { login: 'acme' } }
  return {
    action: 'opened',
    number: 1,
    pull_request: {
      number: 1,
      state: 'open',
      head: { sha: headSha, ref: 'feature', repo: repository },
      base: { sha: origin.baseSha, ref: 'main', repo: repository },
    },
    repository,
    sender: { login: 'octocat', type: 'User' },
  }
}

describe('pr-gate.yml under act, models served by the simulator', () => {
  it('evaluates both pins, benchmarks them, posts one sticky comment and a check run on the head', async () => {
    const artifacts = mkdtempSync(path.join(tmpdir(), 'llmops-e2e-artifacts-'))
    const run = await runAct({
      origin,
      workflow: 'pr-gate.yml',
      eventName: 'pull_request',
      event: pullRequestEvent(),
      repository: REPO,
      sha: headSha,
      path: [path.join(standIns, 'bin')],
      env: {
        ...doubleEnv(double),
        E2E_BUNDLE: await bundlePath(),
        E2E_SIM_PROFILE: path.join(fixtures, 'sim-profile.yml'),
      },
      secrets: { GITHUB_TOKEN: DEFAULT_TOKEN },
      artifacts,
    })
    if (process.env.E2E_DUMP) console.log(run.log)
    // 10 cases with 3 degraded answers are too few for a significant difference: inconclusive,
    // which the check reports as neutral (never success) and which does not fail the job.
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain('verdict=inconclusive')
    const comments = double.state.commentsOn(REPO, 1)
    expect(comments, run.log).toHaveLength(1)
    expect(comments[0]!.body).toContain(`<!-- llmops:sha=${headSha} -->`)
    expect(comments[0]!.body).toContain('qa')
    const checks = double.state.checkRuns.filter((c) => c.headSha === headSha)
    expect(checks, run.log).toHaveLength(1)
    expect(checks[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' })
    // Both servers were stopped by the serve action's post step.
    expect(run.log).toContain('Success - Post Serve the candidate (PR) model')
    expect(run.log).toContain('Success - Post Serve the baseline (base branch) model')
    const stored = path.join(artifacts, 'llmops-gate-1')
    expect(existsSync(path.join(stored, 'gate', 'gate.json'))).toBe(true)
    expect(existsSync(path.join(stored, 'candidate', 'eval', 'results.jsonl'))).toBe(true)
  })
})
