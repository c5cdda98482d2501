import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rayDriver } from '../../../src/dispatch/ray.js'
import { runCliCaptured } from '../../helpers/run-cli.js'
import { repoRoot, startRayHead, venvBin, type RayHead } from '../harness/index.js'

let ray: RayHead
const script = path.join(repoRoot, 'fixtures/dispatch/train_tiny.py')

function finetune(args: string[]) {
  return runCliCaptured(
    ['finetune', '--target', 'ray', '--address', ray.url, '--poll', '1', ...args],
    {
      env: { GITHUB_REPOSITORY: 'octo/models', PATH: process.env.PATH },
      cwd: repoRoot,
    },
  )
}

describe('llmops finetune on a real Ray head', () => {
  beforeAll(async () => {
    ray = await startRayHead()
  })
  afterAll(async () => {
    await ray?.stop()
  })

  it('follows a CPU fine-tune job to SUCCEEDED and streams its log', async () => {
    const sha = '1'.repeat(40)
    const r = await finetune([
      '--entrypoint',
      `${venvBin('python')} ${script}`,
      '--env',
      'LLMOPS_STEPS=120',
      '--sha',
      sha,
    ])
    expect(r.out).toBe('SUCCEEDED\n')
    expect(r.code).toBe(0)
    expect(r.err).toContain('[ray] fine-tune start: steps=120 sha=' + sha)
    expect(r.err).toMatch(/\[ray\] fine-tune done: w=\d+\.\d{3} b=\d+\.\d{3}/)
  })

  it('resubmitting the same job follows the first one instead of starting another', async () => {
    const sha = '1'.repeat(40)
    const again = await finetune([
      '--entrypoint',
      `${venvBin('python')} ${script}`,
      '--env',
      'LLMOPS_STEPS=120',
      '--sha',
      sha,
    ])
    expect(again.out).toBe('SUCCEEDED\n')
    expect(again.err).toContain('already submitted: following it')
  })

  it('reports a failing script as FAILED with its log tail (exit 1)', async () => {
    const r = await finetune([
      '--entrypoint',
      `${venvBin('python')} ${script}`,
      '--env',
      'LLMOPS_FAIL=1',
      '--sha',
      '2'.repeat(40),
    ])
    expect(r.out).toBe('FAILED\n')
    expect(r.code).toBe(1)
    expect(r.err).toContain('CUDA out of memory (simulated) at step 3')
  })

  it('stops a job that runs past its timeout (STOPPED)', async () => {
    const r = await finetune([
      '--entrypoint',
      `${venvBin('python')} ${script}`,
      '--env',
      'LLMOPS_SLEEP_S=1',
      '--env',
      'LLMOPS_STEPS=600',
      '--sha',
      '3'.repeat(40),
      '--timeout',
      '8',
    ])
    expect(r.out).toBe('STOPPED (timed out after 8 s)\n')
    expect(r.code).toBe(1)
  })

  it('stops a running job on cancel through the REST API', async () => {
    const driver = rayDriver(ray.url, {
      entrypoint: `${venvBin('python')} ${script}`,
      submissionId: `llmops-ft-cancel-${Date.now()}`,
      envVars: { LLMOPS_SLEEP_S: '1', LLMOPS_STEPS: '600' },
    })
    const { id } = await driver.submit()
    await driver.cancel(id)
    let state = await driver.status(id)
    for (let i = 0; i < 60 && state.phase !== 'stopped'; i++) {
      await new Promise((r) => setTimeout(r, 500))
      state = await driver.status(id)
    }
    expect(state).toMatchObject({ phase: 'stopped', status: 'STOPPED' })
  })

  it('an unreachable Ray address exits 3 naming it', async () => {
    const r = await runCliCaptured(
      ['finetune', '--target', 'ray', '--address', 'http://127.0.0.1:9', '--entrypoint', 'true'],
      { cwd: repoRoot },
    )
    expect(r.code).toBe(3)
    expect(r.err).toContain('Ray at http://127.0.0.1:9 is unreachable after 5 attempts')
  })
})
