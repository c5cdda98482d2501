import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { deploy } from '../../../src/dispatch/deploy.js'
import { MlflowClient } from '../../../src/dispatch/mlflow.js'
import { startMlflow, type MlflowServer } from '../harness/index.js'

let mlflow: MlflowServer
let client: MlflowClient
const sha = 'c'.repeat(40)

async function registerVersion(model: string): Promise<string> {
  const experiment = await client.experimentId('llmops-integration')
  const run = await client.createRun(experiment, `ft-${Date.now()}`, [
    { key: 'git_sha', value: sha },
  ])
  await client.finishRun(run.runId, 'FINISHED')
  await client.ensureRegisteredModel(model)
  const mv = await client.createModelVersion(model, `${run.artifactUri}/model`, run.runId, [
    { key: 'git_sha', value: sha },
  ])
  return (await client.waitReady(model, mv.version)).version
}

describe('MLflow tracking and registry on a real server', () => {
  beforeAll(async () => {
    mlflow = await startMlflow()
    client = new MlflowClient(mlflow.url)
  })
  afterAll(async () => {
    await mlflow?.stop()
  })

  it('logs an eval run within log-batch limits and uploads the report artifact', async () => {
    const experiment = await client.experimentId('llmops-evals')
    expect(await client.experimentId('llmops-evals')).toBe(experiment)
    const run = await client.createRun(experiment, 'pr-42', [
      { key: 'llmops.repository', value: 'octo/models' },
      { key: 'llmops.pr', value: '42' },
      { key: 'llmops.sha', value: sha },
    ])
    const metrics = Array.from({ length: 1500 }, (_, i) => ({
      key: `qa/case${i % 500}/rougeL`,
      value: i / 1500,
      timestamp: Date.now(),
      step: Math.floor(i / 500),
    }))
    const params = Array.from({ length: 120 }, (_, i) => ({ key: `param_${i}`, value: String(i) }))
    const requests = await client.logBatch(run.runId, metrics, params, [
      { key: 'llmops.verdict', value: 'pass' },
    ])
    expect(requests).toBe(3)
    await client.uploadArtifact(run.artifactUri, 'report.md', '# Report\n\nAll good.\n')
    await client.finishRun(run.runId, 'FINISHED')
    const stored = await client.getRun(run.runId)
    expect(stored.run.info.status).toBe('FINISHED')
    expect(stored.run.data.params).toHaveLength(120)
    expect(stored.run.data.metrics).toHaveLength(500)
    expect(stored.run.data.tags?.find((t) => t.key === 'llmops.pr')?.value).toBe('42')
    const listed = await fetch(
      `${mlflow.url}/api/2.0/mlflow/artifacts/list?run_id=${run.runId}`,
    ).then((r) => r.json() as Promise<{ files?: { path: string }[] }>)
    expect(listed.files?.map((f) => f.path)).toContain('report.md')
  })

  it('registers a version, moves the alias on success and back on a failed smoke eval', async () => {
    const model = `tiny-${Date.now()}`
    const v1 = await registerVersion(model)
    const v2 = await registerVersion(model)
    expect([v1, v2]).toEqual(['1', '2'])

    const ok = await deploy(
      { environment: 'staging', sha, model, version: v1, alias: 'champion', requiredContexts: [] },
      {
        logger: memoryLogger(),
        mlflow: client,
        smoke: () => Promise.resolve({ ok: true, detail: '5/5 passed' }),
      },
    )
    expect(ok.steps.filter((s) => !s.ok)).toEqual([])
    expect(ok.status).toBe('success')
    expect((await client.getAlias(model, 'champion'))?.version).toBe('1')
    const tagged = await client.getModelVersion(model, '1')
    expect(tagged.tags?.find((t) => t.key === 'deployed_staging')?.value).toBe(sha)

    const bad = await deploy(
      { environment: 'staging', sha, model, version: v2, alias: 'champion', requiredContexts: [] },
      {
        logger: memoryLogger(),
        mlflow: client,
        smoke: () => Promise.resolve({ ok: false, detail: '1/5 passed' }),
      },
    )
    expect(bad).toMatchObject({ status: 'failure', rolledBack: true, previousVersion: '1' })
    expect((await client.getAlias(model, 'champion'))?.version).toBe('1')
  })
})
