import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MlflowClient } from '../../../src/dispatch/mlflow.js'
import { runCliCaptured } from '../../helpers/run-cli.js'
import {
  repoRoot,
  startMlflow,
  startRayHead,
  venvBin,
  type MlflowServer,
  type RayHead,
} from '../harness/index.js'

let ray: RayHead
let mlflow: MlflowServer
let client: MlflowClient
const script = path.join(repoRoot, 'fixtures/dispatch/train_tiny.py')
const env = { GITHUB_REPOSITORY: 'octo/models', PATH: process.env.PATH }

function finetune(model: string, sha: string, extra: string[] = []) {
  return runCliCaptured(
    [
      'finetune',
      '--target',
      'ray',
      '--address',
      ray.url,
      '--poll',
      '1',
      '--entrypoint',
      `${venvBin('python')} ${script}`,
      '--env',
      'LLMOPS_STEPS=60',
      '--sha',
      sha,
      '--mlflow-uri',
      mlflow.url,
      '--model',
      model,
      ...extra,
    ],
    { env, cwd: repoRoot },
  )
}

describe('fine-tune on Ray, registered in MLflow, deployed by alias (real servers)', () => {
  beforeAll(async () => {
    ;[ray, mlflow] = await Promise.all([startRayHead(), startMlflow()])
    client = new MlflowClient(mlflow.url)
  })
  afterAll(async () => {
    await Promise.all([ray?.stop(), mlflow?.stop()])
  })

  it('the job logs into the run it was given; the version is registered READY; deploy moves the alias', async () => {
    const model = `tiny-ft-${Date.now()}`
    const sha = '4'.repeat(40)
    const r = await finetune(model, sha)
    expect(r.err).not.toContain('registration failed')
    expect(r.out).toBe('SUCCEEDED\n')
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/\[ray\] logged the model to MLflow run [0-9a-f]{32}/)

    const mv = await client.getModelVersion(model, '1')
    expect(mv.status).toBe('READY')
    expect(mv.source).toMatch(/\/model$/)
    const runId = mv.run_id!
    const run = await client.getRun(runId)
    // The run we opened, resumed by the training script: its tags and its metric.
    expect(run.run.info.status).toBe('FINISHED')
    expect(run.run.data.tags?.find((t) => t.key === 'llmops.sha')?.value).toBe(sha)
    expect(run.run.data.metrics?.map((m) => m.key)).toContain('final_loss')
    const listed = (await fetch(
      `${mlflow.url}/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=model`,
    ).then((res) => res.json())) as { files?: { path: string }[] }
    expect(listed.files?.map((f) => f.path)).toEqual(['model/weights.json'])

    const d = await runCliCaptured(
      [
        'deploy',
        '--no-github',
        '--environment',
        'staging',
        '--sha',
        sha,
        '--mlflow-uri',
        mlflow.url,
        '--model',
        model,
        '--version',
        '1',
        '--alias',
        'champion',
      ],
      { env, cwd: repoRoot },
    )
    expect(d.code, d.err).toBe(0)
    expect((await client.getAlias(model, 'champion'))?.version).toBe('1')
  })

  it('a failed job registers nothing and leaves its run FAILED', async () => {
    const model = `tiny-ft-fail-${Date.now()}`
    const r = await finetune(model, '5'.repeat(40), ['--env', 'LLMOPS_FAIL=1'])
    expect(r.out).toBe('FAILED\n')
    expect(r.code).toBe(1)
    await expect(client.getModelVersion(model, '1')).rejects.toThrow()
    const experiment = await client.experimentId('llmops')
    const runs = await client.searchRuns(experiment, `tags."llmops.sha" = '${'5'.repeat(40)}'`)
    expect(runs.map((x) => x.info.status)).toEqual(['FAILED'])
  })
})
