import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN, startGitHubDouble, type GitHubDouble } from '../doubles/github/server.js'
import { doubleEnv } from '../helpers/github.js'
import { actBinary, makeOrigin, runAct, type OriginRepo } from './act.js'

const REPO = 'acme/models'
let origin: OriginRepo
let headSha: string
let double: GitHubDouble

beforeAll(async () => {
  actBinary()
  // No deploy target configured: the deployment record and its statuses are the whole rollout.
  origin = await makeOrigin({ '.github/llmops.yml': 'version: 1\n' })
  headSha = origin.commitOnBranch('feature', { 'model/README.md': 'candidate\n' })
}, 900_000)

beforeEach(async () => {
  double = await startGitHubDouble()
})

afterEach(async () => {
  await double.close()
})

/** The repository_dispatch the command router sends for `/deploy staging` (see commands.test.ts). */
function deployDispatch(sha: string) {
  return {
    action: 'llmops-deploy',
    branch: 'main',
    client_payload: { command: 'deploy', environment: 'staging', sha, pr: 1, actor: 'boss' },
    repository: {
      full_name: REPO,
      name: 'models',
      owner: { login: 'acme' },
      default_branch: 'main',
    },
    sender: { login: 'github-actions[bot]', type: 'Bot' },
  }
}

describe('llmops-dispatched-deploy.yml under act', () => {
  it('checks out exactly the pinned SHA and records a deployment of it', async () => {
    const run = await runAct({
      origin,
      workflow: 'llmops-dispatched-deploy.yml',
      eventName: 'repository_dispatch',
      event: deployDispatch(headSha),
      repository: REPO,
      env: doubleEnv(double),
      secrets: { GITHUB_TOKEN: DEFAULT_TOKEN },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain(`checkout stand-in: ${headSha} in pr`)
    expect(double.state.deployments).toHaveLength(1)
    const [deployment] = double.state.deployments
    expect(deployment).toMatchObject({ sha: headSha, environment: 'staging' })
    expect(deployment!.statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'success'])
  })

  it('refuses a payload SHA that is not 40-hex before anything reaches GitHub', async () => {
    const run = await runAct({
      origin,
      workflow: 'llmops-dispatched-deploy.yml',
      eventName: 'repository_dispatch',
      event: deployDispatch('main; touch /tmp/pwned'),
      repository: REPO,
      env: doubleEnv(double),
      secrets: { GITHUB_TOKEN: DEFAULT_TOKEN },
    })
    expect(run.exitCode).not.toBe(0)
    expect(run.log).toContain('sha is not a 40-hex commit SHA')
    expect(double.state.requests).toEqual([])
  })
})
