import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadProfile } from '../../src/sim/profile.js'
import { startSimServer, type SimServer } from '../../src/sim/server.js'
import { commentEvent, REPO } from '../component/chatops/payloads.js'
import { DEFAULT_TOKEN, startGitHubDouble, type GitHubDouble } from '../doubles/github/server.js'
import { doubleEnv } from '../helpers/github.js'
import { actBinary, makeOrigin, runAct, type OriginRepo } from './act.js'

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/eval')
const CONFIG = `version: 1
providers:
  candidate: { base_url: '\${SIM_URL}', model: candidate, concurrency: 4 }
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
let sim: SimServer

beforeAll(async () => {
  actBinary()
  origin = await makeOrigin()
  // The configuration and dataset arrive with the pull request; the router never reads them.
  headSha = origin.commitOnBranch('feature', {
    '.github/llmops.yml': CONFIG,
    '.github/qa.jsonl': readFileSync(path.join(fixtures, 'qa.jsonl'), 'utf8'),
  })
}, 900_000)

beforeEach(async () => {
  double = await startGitHubDouble()
  double.state.seedPull({ repo: REPO, number: 1, headSha })
  double.state.seedCheckSuite(REPO, headSha)
  double.state.setPermission('boss', 'admin')
  sim = await startSimServer({ profile: await loadProfile(path.join(fixtures, 'sim-profile.yml')) })
})

afterEach(async () => {
  await sim.close()
  await double.close()
})

describe('/eval from comment to result under act', () => {
  it('the router dispatches, the dispatched workflow evaluates the pinned SHA and completes the check run', async () => {
    const common = {
      origin,
      repository: REPO,
      env: doubleEnv(double),
      secrets: { GITHUB_TOKEN: DEFAULT_TOKEN },
    }
    const routed = await runAct({
      ...common,
      workflow: 'llmops-commands.yml',
      eventName: 'issue_comment',
      event: commentEvent(double, { body: '/eval', login: 'boss' }),
      actor: 'boss',
    })
    expect(routed.exitCode, routed.log).toBe(0)
    const [dispatch] = double.state.requestsFor('repos/create-dispatch-event')
    const body = dispatch!.body as { event_type: string; client_payload: Record<string, unknown> }
    expect(body.client_payload.sha).toBe(headSha)

    // GitHub starts the repository_dispatch workflow with the payload the router sent.
    const evaluated = await runAct({
      ...common,
      env: { ...common.env, SIM_URL: sim.url },
      workflow: 'llmops-dispatched-eval.yml',
      eventName: 'repository_dispatch',
      event: {
        action: body.event_type,
        branch: 'main',
        client_payload: body.client_payload,
        repository: { full_name: REPO },
        sender: { login: 'github-actions[bot]', type: 'Bot' },
      },
    })
    expect(evaluated.exitCode, evaluated.log).toBe(0)
    expect(evaluated.log).toContain(`checkout stand-in: ${headSha} in pr`)
    expect(sim.stats.requests).toBeGreaterThanOrEqual(10)
    const [check] = double.state.checkRuns
    expect(double.state.checkRuns).toHaveLength(1)
    expect(check).toMatchObject({ headSha, status: 'completed', conclusion: 'success' })
    expect(check!.detailsUrl).toBe(`https://github.com/${REPO}/actions/runs/4242`)
  })
})
