import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMlflow, type MlflowServer } from '../harness/mlflow.js'

let mlflow: MlflowServer

async function api<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${mlflow.url}/api/2.0/mlflow/${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const json = (await response.json()) as T
  if (!response.ok)
    throw new Error(`${method} ${route} -> ${response.status} ${JSON.stringify(json)}`)
  return json
}

beforeAll(async () => {
  mlflow = await startMlflow()
})

afterAll(async () => {
  await mlflow?.stop()
})

describe('MLflow tracking server (real, SQLite backend)', () => {
  it('creates an experiment and a run through the REST API and reads them back', async () => {
    const { experiment_id } = await api<{ experiment_id: string }>('POST', 'experiments/create', {
      name: 'llmops-harness',
    })
    const byName = await api<{ experiment: { experiment_id: string; name: string } }>(
      'GET',
      'experiments/get-by-name?experiment_name=llmops-harness',
    )
    expect(byName.experiment).toMatchObject({ experiment_id, name: 'llmops-harness' })

    const created = await api<{ run: { info: { run_id: string } } }>('POST', 'runs/create', {
      experiment_id,
      run_name: 'pr-42',
      start_time: 1_700_000_000_000,
      tags: [{ key: 'git_sha', value: 'a'.repeat(40) }],
    })
    const runId = created.run.info.run_id
    await api('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'rougeL', value: 0.4375, timestamp: 1_700_000_000_500, step: 0 }],
      params: [{ key: 'suite', value: 'support-qa' }],
    })
    await api('POST', 'runs/update', {
      run_id: runId,
      status: 'FINISHED',
      end_time: 1_700_000_001_000,
    })

    const { run } = await api<{
      run: {
        info: { run_id: string; experiment_id: string; run_name: string; status: string }
        data: {
          metrics: { key: string; value: number }[]
          params: { key: string; value: string }[]
          tags: { key: string; value: string }[]
        }
      }
    }>('GET', `runs/get?run_id=${runId}`)
    expect(run.info).toMatchObject({
      run_id: runId,
      experiment_id,
      run_name: 'pr-42',
      status: 'FINISHED',
    })
    expect(run.data.metrics).toEqual([expect.objectContaining({ key: 'rougeL', value: 0.4375 })])
    expect(run.data.params).toEqual([{ key: 'suite', value: 'support-qa' }])
    expect(run.data.tags).toContainEqual({ key: 'git_sha', value: 'a'.repeat(40) })
  })

  it('answers errors in the documented {error_code, message} shape', async () => {
    const response = await fetch(
      `${mlflow.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=missing`,
    )
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' })
  })
})
