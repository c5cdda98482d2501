import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleEnv } from '../../helpers/github.js'
import { runCliCaptured } from '../../helpers/run-cli.js'

let gh: GitHubDouble
const sha = 'd'.repeat(40)

function deploy(args: string[]) {
  const env = {
    ...doubleEnv(gh),
    GITHUB_REPOSITORY: 'octo/models',
    GITHUB_RUN_ID: '77',
    GITHUB_SERVER_URL: 'https://github.com',
  }
  return runCliCaptured(['deploy', ...args], { env })
}

describe('llmops deploy against the GitHub API double', () => {
  beforeEach(async () => {
    gh = await startGitHubDouble()
  })
  afterEach(async () => {
    await gh.close()
  })

  it('records a deployment of the exact SHA with queued → in_progress → success', async () => {
    const r = await deploy([
      '--environment',
      'staging',
      '--sha',
      sha,
      '--environment-url',
      'https://staging.example',
    ])
    expect(r).toMatchObject({ code: 0, out: 'success\n' })
    const [d] = gh.state.deployments
    expect(d).toMatchObject({ sha, environment: 'staging' })
    expect(d?.request).toMatchObject({ ref: sha, auto_merge: false, required_contexts: [] })
    expect(d?.statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'success'])
    expect(d?.statuses.at(-1)).toMatchObject({
      environmentUrl: 'https://staging.example',
      logUrl: 'https://github.com/octo/models/actions/runs/77',
    })
  })

  it('a 409 from GitHub is an error (exit 3) that says why, with nothing else done', async () => {
    gh.faults.next('repos/create-deployment', [
      {
        status: 409,
        body: {
          message: 'Conflict: Commit status checks failed for main.',
          errors: [{ contexts: [{ context: 'ci', state: 'failure' }] }],
        },
      },
    ])
    const r = await deploy(['--environment', 'production', '--sha', sha])
    expect(r.code).toBe(3)
    expect(r.out).toBe('error\n')
    expect(r.err).toContain(
      'GitHub refused the deployment (409): Conflict: Commit status checks failed for main. (ci=failure)',
    )
    expect(gh.state.deployments).toEqual([])
  })

  it('rejects a SHA that is not 40-hex before calling GitHub', async () => {
    const r = await deploy(['--environment', 'staging', '--sha', 'main'])
    expect(r.code).toBe(2)
    expect(gh.state.requests).toEqual([])
  })
})
