import { describe, expect, it } from 'vitest'
import { logBatches, MlflowClient } from '../../../src/dispatch/mlflow.js'
import { fakeClock, fakeHttp } from './fakes.js'

const metric = (i: number) => ({ key: `m${i}`, value: i, timestamp: 0, step: 0 })
const kv = (p: string, i: number) => ({ key: `${p}${i}`, value: String(i) })

describe('logBatches', () => {
  it('keeps every request within the log-batch limits and loses nothing', () => {
    const metrics = Array.from({ length: 2500 }, (_, i) => metric(i))
    const params = Array.from({ length: 150 }, (_, i) => kv('p', i))
    const tags = Array.from({ length: 120 }, (_, i) => kv('t', i))
    const batches = logBatches(metrics, params, tags)
    for (const b of batches) {
      expect(b.metrics.length).toBeLessThanOrEqual(1000)
      expect(b.params.length).toBeLessThanOrEqual(100)
      expect(b.tags.length).toBeLessThanOrEqual(100)
      expect(b.metrics.length + b.params.length + b.tags.length).toBeLessThanOrEqual(1000)
    }
    expect(batches.flatMap((b) => b.metrics)).toEqual(metrics)
    expect(batches.flatMap((b) => b.params)).toEqual(params)
    expect(batches.flatMap((b) => b.tags)).toEqual(tags)
  })

  it('returns no batch for nothing', () => {
    expect(logBatches([], [], [])).toEqual([])
  })
})

describe('MlflowClient', () => {
  it('treats an existing registered model as success', async () => {
    const http = fakeHttp(() => ({
      status: 400,
      body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' },
    }))
    await new MlflowClient('http://m:5000', { http }).ensureRegisteredModel('m')
    expect(http.calls).toHaveLength(1)
  })

  it('polls a version until READY', async () => {
    let n = 0
    const http = fakeHttp(() => ({
      status: 200,
      body: {
        model_version: {
          name: 'm',
          version: '3',
          status: ++n < 3 ? 'PENDING_REGISTRATION' : 'READY',
        },
      },
    }))
    const mv = await new MlflowClient('http://m:5000', { http, clock: fakeClock() }).waitReady(
      'm',
      '3',
    )
    expect(mv.status).toBe('READY')
    expect(http.calls.map((c) => c.url)).toEqual(
      Array(3).fill('http://m:5000/api/2.0/mlflow/model-versions/get?name=m&version=3'),
    )
  })

  it('fails clearly on FAILED_REGISTRATION', async () => {
    const http = fakeHttp(() => ({
      status: 200,
      body: {
        model_version: {
          name: 'm',
          version: '2',
          status: 'FAILED_REGISTRATION',
          status_message: 'bad source',
        },
      },
    }))
    await expect(
      new MlflowClient('http://m:5000', { http, clock: fakeClock() }).waitReady('m', '2'),
    ).rejects.toThrow('MLflow at http://m:5000: m version 2 failed registration: bad source')
  })

  it('returns undefined for an unset alias and sends alias moves as POST', async () => {
    const http = fakeHttp((c) =>
      c.method === 'GET'
        ? { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no alias' } }
        : { status: 200, body: {} },
    )
    const client = new MlflowClient('http://m:5000', { http })
    expect(await client.getAlias('m', 'champion')).toBeUndefined()
    await client.setAlias('m', 'champion', '4')
    expect(http.calls[1]).toEqual({
      method: 'POST',
      url: 'http://m:5000/api/2.0/mlflow/registered-models/alias',
      body: { name: 'm', alias: 'champion', version: '4' },
    })
  })
})
