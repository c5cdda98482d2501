import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CommandResult } from '../../../src/cli/command.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { deploy } from '../../../src/dispatch/deploy.js'
import { deployCommand, outcomeMarkdown } from '../../../src/dispatch/deploy-command.js'
import { githubDeploymentRecorder } from '../../../src/dispatch/github-ports.js'
import { followJob, type JobDriver, type JobState } from '../../../src/dispatch/job.js'
import { logRun } from '../../../src/dispatch/mlflow-runs.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleClient, doubleEnv } from '../../helpers/github.js'
import { startFakeMlflow, type FakeMlflow } from './mlflow-fake.js'

let gh: GitHubDouble
let mlflow: FakeMlflow
let sim: SimServer
let dir: string
const repo = 'octo/models'
const before = 'b'.repeat(40)
const after = 'a'.repeat(40)

function pushEnv(): Record<string, string> {
  const event = path.join(dir, 'push.json')
  writeFileSync(
    event,
    JSON.stringify({
      ref: 'refs/heads/main',
      before,
      after,
      repository: {
        full_name: repo,
        name: 'models',
        owner: { login: 'octo' },
        default_branch: 'main',
      },
    }),
  )
  return {
    ...doubleEnv(gh),
    GITHUB_REPOSITORY: repo,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: after,
    GITHUB_RUN_ID: '42',
    GITHUB_SERVER_URL: 'https://github.com',
  }
}

function writeConfig(trackingUri: string, smokeModel = 'healthy'): string {
  const file = path.join(dir, 'llmops.yml')
  writeFileSync(
    file,
    [
      'version: 1',
      'providers:',
      `  staging: { base_url: "${sim.url}", model: ${smokeModel}, max_retries: 0 }`,
      'suites:',
      '  - name: smoke',
      '    cases: [{ w: "otter-1" }, { w: "otter-2" }, { w: "otter-3" }]',
      '    prompt: "Repeat exactly the code word: {{ w }}"',
      '    reference: w',
      '    metrics: [exact]',
      'mlflow:',
      `  tracking_uri: "${trackingUri}"`,
      '  model: tiny-lm',
      'deploy:',
      '  environments:',
      '    staging:',
      '      url: https://staging.example',
      '      smoke: { suite: smoke, provider: staging, min_score: 0.9 }',
    ].join('\n'),
  )
  return file
}

async function runDeploy(
  args: string[],
  env: Record<string, string>,
): Promise<{ result: CommandResult; out: string }> {
  const stdout = new PassThrough()
  let out = ''
  stdout.on('data', (d: Buffer) => (out += d.toString()))
  const ctx = {
    argv: [
      '--config',
      path.join(dir, 'llmops.yml'),
      '--environment',
      'staging',
      '--sha',
      after,
      ...args,
    ],
    env,
    cwd: dir,
    stdout,
    logger: memoryLogger(),
    signal: new AbortController().signal,
    inAction: false,
  }
  try {
    return { result: await deployCommand.run(ctx), out }
  } catch (error) {
    return { result: { exitCode: -1, summary: String(error) }, out }
  }
}

/** Logs the PR's eval run the way `llmops eval` does on the pull request. */
async function seedPrEvalRun(): Promise<string> {
  const r = await logRun(
    { trackingUri: mlflow.url, experiment: 'llmops' },
    {
      kind: 'eval',
      identity: 'qa',
      name: 'eval qa',
      commit: 'c'.repeat(40),
      params: { suites: 'qa' },
      metrics: [
        { key: 'qa/candidate/exact', value: 0.82 },
        { key: 'qa/candidate/exact.ci95_low', value: 0.7 },
      ],
      artifacts: [],
    },
    { env: { LLMOPS_PR: '12' }, logger: memoryLogger() },
  )
  return r.runId ?? ''
}

describe('deploy evidence and faults on the Deployment and the merged PR', () => {
  beforeAll(async () => {
    sim = await startSimServer({
      profile: {
        models: {
          healthy: {
            rules: [{ match: 'code word: ([a-z]+-\\d+)', reply: { template: '{{1}}' } }],
          },
        },
      },
    })
  })
  afterAll(async () => {
    await sim?.close()
  })
  beforeEach(async () => {
    gh = await startGitHubDouble()
    mlflow = await startFakeMlflow()
    dir = mkdtempSync(path.join(os.tmpdir(), 'llmops-deploy-evidence-'))
    gh.state.seedPull({
      repo,
      number: 12,
      headSha: 'c'.repeat(40),
      state: 'closed',
      merged: true,
      mergeCommitSha: after,
      labels: [],
    })
    gh.state.setMergeBase(repo, before, after, before, { files: ['model/config.json'] })
  })
  afterEach(async () => {
    await Promise.all([gh.close(), mlflow.close()])
  })

  it('links everything: payload, statuses with log and environment URLs, PR comment', async () => {
    writeConfig(mlflow.url)
    const evalRunId = await seedPrEvalRun()
    mlflow.versions.push({ name: 'tiny-lm', version: '3', status: 'READY', tags: new Map() })
    mlflow.aliases.set('tiny-lm@champion', '2')
    const { result, out } = await runDeploy(['--version', '3'], pushEnv())
    expect(out).toBe('success\n')
    expect(result.exitCode).toBe(0)
    const [d] = gh.state.deployments
    const expId = mlflow.experiments.get('llmops')!
    expect(d?.payload).toMatchObject({
      sha: after,
      model: 'tiny-lm',
      version: '3',
      alias: 'champion',
      pull_request: 12,
      run_url: 'https://github.com/octo/models/actions/runs/42',
      model_version_url: `${mlflow.url}/#/models/tiny-lm/versions/3`,
      evidence: {
        source: 'PR #12',
        runs: [
          {
            kind: 'eval',
            run_id: evalRunId,
            url: `${mlflow.url}/#/experiments/${expId}/runs/${evalRunId}`,
            status: 'FINISHED',
            metrics: { 'qa/candidate/exact': 0.82 },
          },
        ],
      },
    })
    expect(d?.statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'success'])
    for (const s of d?.statuses ?? []) {
      expect(s.logUrl).toBe('https://github.com/octo/models/actions/runs/42')
      expect(s.environmentUrl).toBe('https://staging.example')
      expect(s.description.length).toBeLessThanOrEqual(140)
    }
    expect(d?.statuses[0]?.description).toBe('queued: tiny-lm v3 → champion; PR #12: eval FINISHED')
    expect(d?.statuses[2]?.description).toBe(
      'deployed aaaaaaaaaaaa as tiny-lm v3 (champion); smoke: 3/3 cases scored (exact 1.000)',
    )
    expect(mlflow.aliases.get('tiny-lm@champion')).toBe('3')

    const smokeRun = [...mlflow.runs.values()].find((r) => r.tags.get('llmops.kind') === 'smoke')
    expect(smokeRun?.tags.get('llmops.sha')).toBe(after)
    expect(smokeRun?.status).toBe('FINISHED')
    const [comment] = gh.state.commentsOn(repo, 12)
    const body = comment?.body ?? ''
    expect(body).toContain(
      `- Deployment: #${d?.id} ([staging deployments](https://github.com/octo/models/deployments/staging))`,
    )
    expect(body).toContain('[Actions run](https://github.com/octo/models/actions/runs/42) (log)')
    expect(body).toContain(
      `- Model: [\`tiny-lm\` version 3](${mlflow.url}/#/models/tiny-lm/versions/3), alias \`champion\` (before: v2)`,
    )
    expect(body).toContain(
      `- Eval evidence (PR #12): [eval run](${mlflow.url}/#/experiments/${expId}/runs/${evalRunId}) FINISHED`,
    )
    expect(body).toContain(
      `- Smoke evaluation: [MLflow run](${mlflow.url}/#/experiments/${expId}/runs/${smokeRun?.runId})`,
    )
  })

  it('without a pull request (workflow_dispatch) the same evidence goes to the job summary', async () => {
    writeConfig(mlflow.url)
    mlflow.versions.push({ name: 'tiny-lm', version: '3', status: 'READY', tags: new Map() })
    const env = { ...pushEnv(), GITHUB_EVENT_NAME: 'workflow_dispatch' }
    const { result } = await runDeploy(['--version', '3'], env)
    expect(result.exitCode).toBe(0)
    expect(gh.state.commentsOn(repo, 12)).toEqual([])
    expect(result.summary).toContain('Deploy of `aaaaaaaaaaaa` to staging: success')
    expect(result.summary).toContain(
      `[\`tiny-lm\` version 3](${mlflow.url}/#/models/tiny-lm/versions/3)`,
    )
    expect(result.summary).toContain(
      `- Eval evidence (commit ${after.slice(0, 12)}): no eval or benchmark run logged in MLflow`,
    )
    expect(result.summary).toContain('- Smoke evaluation: [MLflow run]')
  })

  it('a version in FAILED_REGISTRATION: error on the Deployment and in the comment, alias untouched', async () => {
    writeConfig(mlflow.url)
    mlflow.versions.push({
      name: 'tiny-lm',
      version: '4',
      status: 'FAILED_REGISTRATION',
      status_message: 'model artifact missing',
      tags: new Map(),
    })
    mlflow.aliases.set('tiny-lm@champion', '2')
    const { result, out } = await runDeploy(['--version', '4'], pushEnv())
    expect(out).toBe('error\n')
    expect(result.exitCode).toBe(3)
    const [d] = gh.state.deployments
    expect(d?.statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'error'])
    expect(d?.statuses[2]?.description).toMatch(
      /^model version not ready: .*tiny-lm version 4 failed registration: model artifact missing/,
    )
    expect(d?.statuses[2]?.logUrl).toBe('https://github.com/octo/models/actions/runs/42')
    expect(mlflow.aliases.get('tiny-lm@champion')).toBe('2')
    const body = gh.state.commentsOn(repo, 12)[0]?.body ?? ''
    expect(body).toContain('to staging: error')
    expect(body).toMatch(
      /\| ❌ \| MLflow version \| .*failed registration: model artifact missing \|/,
    )
    // Nothing after the failure ran: no smoke evaluation, no MLflow tags on the version.
    expect(body).not.toContain('smoke evaluation')
    expect(mlflow.versions[0]?.tags.size).toBe(0)
  })

  it('MLflow unreachable: error status naming it, evidence marked unreadable, nothing moved', async () => {
    writeConfig('http://127.0.0.1:9')
    const { result, out } = await runDeploy(['--version', '3'], pushEnv())
    expect(out).toBe('error\n')
    expect(result.exitCode).toBe(3)
    const [d] = gh.state.deployments
    expect(d?.payload).toMatchObject({ evidence: { source: 'PR #12', runs: [] } })
    expect((d?.payload as { evidence: { error: string } }).evidence.error).toMatch(/unreachable/)
    expect(d?.statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'error'])
    expect(d?.statuses[0]?.description).toBe(
      'queued: tiny-lm v3 → champion; eval evidence unreadable',
    )
    expect(d?.statuses[2]?.description).toMatch(
      /^model version not ready: MLflow at http:\/\/127\.0\.0\.1:9 is unreachable/,
    )
    const body = gh.state.commentsOn(repo, 12)[0]?.body ?? ''
    expect(body).toContain('to staging: error')
    expect(body).toMatch(/- Eval evidence \(PR #12\): could not be read: MLflow at/)
    expect(body).toMatch(/\| ❌ \| eval evidence \| MLflow runs for PR \\#12 could not be read/)
  }, 60_000)

  it('a smoke failure rolls the alias back and the failure status says so', async () => {
    writeConfig(mlflow.url, 'missing-model')
    mlflow.versions.push({ name: 'tiny-lm', version: '3', status: 'READY', tags: new Map() })
    mlflow.aliases.set('tiny-lm@champion', '2')
    const { result } = await runDeploy(['--version', '3'], pushEnv())
    expect(result.exitCode).toBe(1)
    const last = gh.state.deployments[0]?.statuses.at(-1)
    expect(last?.state).toBe('failure')
    expect(last?.description).toMatch(/^smoke evaluation failed: .*; rolled back champion to v2$/)
    expect(last?.description.length).toBeLessThanOrEqual(140)
    expect(mlflow.aliases.get('tiny-lm@champion')).toBe('2')
    const smokeRun = [...mlflow.runs.values()].find((r) => r.tags.get('llmops.kind') === 'smoke')
    expect(smokeRun?.status).toBe('FAILED')
    expect(gh.state.commentsOn(repo, 12)[0]?.body).toContain('(rolled back)')
  })
})

describe('deployment job faults recorded on the Deployment (GitHub double)', () => {
  beforeEach(async () => {
    gh = await startGitHubDouble()
  })
  afterEach(async () => {
    await gh.close()
  })

  const env = () => ({ ...doubleEnv(gh), GITHUB_REPOSITORY: repo })
  const clock = () => {
    const c = { t: 0, now: () => c.t, sleep: (ms: number) => ((c.t += ms), Promise.resolve()) }
    return c
  }

  function driver(opts: { finishes: boolean; resumed?: boolean }) {
    let state: JobState = { phase: 'running', status: 'RUNNING' }
    let cancels = 0
    const d: JobDriver = {
      target: 'ray',
      submit: () =>
        Promise.resolve({
          id: 'deploy-aaaa',
          resumed: opts.resumed ?? false,
          url: 'http://ray:8265/#/jobs/deploy-aaaa',
        }),
      status: () => {
        if (opts.finishes) state = { phase: 'succeeded', status: 'SUCCEEDED' }
        return Promise.resolve(state)
      },
      logs: () => Promise.resolve('rolling out\n'),
      cancel: () => {
        cancels++
        state = { phase: 'stopped', status: 'STOPPED' }
        return Promise.resolve()
      },
    }
    return { d, cancels: () => cancels }
  }

  const runJob =
    (d: JobDriver, resumed = false) =>
    async () => {
      const { id, url } = await d.submit()
      const r = await followJob(d, id, {
        timeoutMs: 60_000,
        pollMs: 1000,
        logger: memoryLogger(),
        clock: clock(),
      })
      return { ...r, url: url ?? '', resumed }
    }

  it('a job that times out is stopped and the Deployment ends in failure saying so', async () => {
    const { d, cancels } = driver({ finishes: false })
    const outcome = await deploy(
      {
        environment: 'staging',
        sha: after,
        alias: 'champion',
        requiredContexts: [],
        logUrl: 'https://github.com/octo/models/actions/runs/9',
      },
      {
        logger: memoryLogger(),
        github: githubDeploymentRecorder(env(), memoryLogger(), doubleClient(gh)),
        runJob: runJob(d),
      },
    )
    expect(cancels()).toBe(1)
    expect(outcome.status).toBe('failure')
    const last = gh.state.deployments[0]?.statuses.at(-1)
    expect(last).toMatchObject({
      state: 'failure',
      description: 'deployment job timed out: deploy-aaaa',
      logUrl: 'https://github.com/octo/models/actions/runs/9',
    })
    const md = outcomeMarkdown('staging', after, outcome)
    expect(md).toContain('| ❌ | deployment job | deploy-aaaa: STOPPED \\(timed out, stopped\\) |')
    expect(outcome.links).toMatchObject({
      jobId: 'deploy-aaaa',
      jobUrl: 'http://ray:8265/#/jobs/deploy-aaaa',
    })
  })

  it('a duplicate submission follows the existing job and says so; without an Actions run the job is the log', async () => {
    const { d } = driver({ finishes: true, resumed: true })
    const outcome = await deploy(
      { environment: 'staging', sha: after, alias: 'champion', requiredContexts: [] },
      {
        logger: memoryLogger(),
        github: githubDeploymentRecorder(env(), memoryLogger(), doubleClient(gh)),
        runJob: runJob(d, true),
      },
    )
    expect(outcome.status).toBe('success')
    expect(outcome.steps.find((s) => s.name === 'deployment job')?.detail).toBe(
      'deploy-aaaa (already submitted: followed the existing job): SUCCEEDED',
    )
    const statuses = gh.state.deployments[0]?.statuses ?? []
    expect(statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'success'])
    expect(statuses.at(-1)?.logUrl).toBe('http://ray:8265/#/jobs/deploy-aaaa')
  })
})
