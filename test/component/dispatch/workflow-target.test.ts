import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleEnv } from '../../helpers/github.js'
import { runCliCaptured } from '../../helpers/run-cli.js'

let gh: GitHubDouble
const sha = 'f'.repeat(40)

function configFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'llmops-wf-'))
  const file = path.join(dir, 'llmops.yml')
  writeFileSync(
    file,
    [
      'version: 1',
      'finetune:',
      '  target: workflow',
      '  workflow: gpu-finetune.yml',
      '  inputs: { config: lora.yaml }',
      '  timeout_s: 30',
    ].join('\n'),
  )
  return file
}

function finetune(args: string[]) {
  const env = { ...doubleEnv(gh), GITHUB_REPOSITORY: 'octo/models', GITHUB_REF_NAME: 'main' }
  return runCliCaptured(['finetune', ...args], { env })
}

/** Completes every dispatched run shortly after it appears, as a GPU runner would. */
function runnerFinishes(conclusion: 'success' | 'failure') {
  const timer = setInterval(() => {
    for (const run of gh.state.workflowRuns) {
      if (run.status === 'queued') run.status = 'in_progress'
      else if (run.status === 'in_progress') {
        run.status = 'completed'
        run.conclusion = conclusion
      }
    }
  }, 200)
  return () => clearInterval(timer)
}

describe('finetune through a workflow on a GPU runner', () => {
  beforeEach(async () => {
    gh = await startGitHubDouble()
  })
  afterEach(async () => {
    await gh.close()
  })

  it('dispatches the workflow with the pinned SHA as an input and follows the run to SUCCEEDED', async () => {
    const stop = runnerFinishes('success')
    const r = await finetune(['--config', configFile(), '--sha', sha, '--poll', '1'])
    stop()
    expect(r.out).toBe('SUCCEEDED\n')
    expect(r.code).toBe(0)
    const [dispatch] = gh.state.requestsFor('actions/create-workflow-dispatch')
    expect(dispatch?.body).toMatchObject({
      ref: 'main',
      inputs: { config: 'lora.yaml', sha },
      return_run_details: true,
    })
  })

  it('a failed run is FAILED (exit 1)', async () => {
    const stop = runnerFinishes('failure')
    const r = await finetune(['--config', configFile(), '--sha', sha, '--poll', '1'])
    stop()
    expect(r).toMatchObject({ code: 1, out: 'FAILED\n' })
  })

  it('a run that outlives the timeout is cancelled through the API', async () => {
    const r = await finetune([
      '--config',
      configFile(),
      '--sha',
      sha,
      '--poll',
      '1',
      '--timeout',
      '2',
    ])
    expect(r).toMatchObject({ code: 1, out: 'STOPPED (timed out after 2 s)\n' })
    expect(gh.state.requestsFor('actions/cancel-workflow-run')).toHaveLength(1)
    expect(gh.state.workflowRuns[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled' })
  })
})
