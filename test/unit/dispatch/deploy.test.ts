import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import {
  deploy,
  type DeploymentRecorder,
  type DeployRequest,
} from '../../../src/dispatch/deploy.js'
import { MlflowClient } from '../../../src/dispatch/mlflow.js'
import { fakeClock, fakeHttp } from './fakes.js'

const sha = 'a'.repeat(40)
const req: DeployRequest = {
  environment: 'staging',
  sha,
  model: 'm',
  version: '5',
  alias: 'champion',
  requiredContexts: [],
  environmentUrl: 'https://staging.example',
}

function recorder() {
  const events: string[] = []
  const rec: DeploymentRecorder = {
    create: (input) => {
      events.push(`create ${input.environment} ${input.sha.slice(0, 4)}`)
      return Promise.resolve({ id: 7 })
    },
    status: (id, state, d) => {
      events.push(`${id} ${state}${d.environmentUrl ? ` ${d.environmentUrl}` : ''}`)
      return Promise.resolve()
    },
  }
  return { rec, events }
}

/** An in-memory MLflow registry behind the real client, with alias history. */
function registry(status: 'READY' | 'FAILED_REGISTRATION' = 'READY', alias?: string) {
  let current = alias
  const moves: string[] = []
  const http = fakeHttp((c) => {
    if (c.url.includes('model-versions/get'))
      return { status: 200, body: { model_version: { name: 'm', version: '5', status } } }
    if (c.url.includes('registered-models/alias') && c.method === 'GET') {
      return current
        ? { status: 200, body: { model_version: { name: 'm', version: current, status: 'READY' } } }
        : { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'none' } }
    }
    if (c.url.includes('registered-models/alias') && c.method === 'POST') {
      current = (c.body as { version: string }).version
      moves.push(`set ${current}`)
      return { status: 200, body: {} }
    }
    if (c.url.includes('registered-models/alias') && c.method === 'DELETE') {
      current = undefined
      moves.push('delete')
      return { status: 200, body: {} }
    }
    return { status: 200, body: {} }
  })
  return {
    client: new MlflowClient('http://m:5000', { http, clock: fakeClock() }),
    moves,
    alias: () => current,
    http,
  }
}

const job = (phase: 'succeeded' | 'failed') => () =>
  Promise.resolve({
    id: 'job1',
    state: { phase, status: phase.toUpperCase() },
    timedOut: false,
    cancelled: false,
    logTail: '',
  })

describe('deploy', () => {
  it('records queued → in_progress → success and moves the alias', async () => {
    const { rec, events } = recorder()
    const reg = registry('READY', '4')
    const out = await deploy(req, {
      logger: memoryLogger(),
      github: rec,
      mlflow: reg.client,
      runJob: job('succeeded'),
      smoke: () => Promise.resolve({ ok: true, detail: '10/10' }),
    })
    expect(out).toMatchObject({
      status: 'success',
      deploymentId: 7,
      previousVersion: '4',
      rolledBack: false,
    })
    expect(events).toEqual([
      'create staging aaaa',
      '7 queued https://staging.example',
      '7 in_progress https://staging.example',
      '7 success https://staging.example',
    ])
    expect(reg.alias()).toBe('5')
    expect(reg.http.calls.filter((c) => c.url.endsWith('set-tag')).map((c) => c.body)).toEqual([
      { name: 'm', version: '5', key: 'deployed_staging', value: sha },
      { name: 'm', version: '5', key: 'deployment_staging', value: '7' },
    ])
  })

  it('rolls the alias back to the previous version when the smoke eval fails', async () => {
    const { rec, events } = recorder()
    const reg = registry('READY', '4')
    const out = await deploy(req, {
      logger: memoryLogger(),
      github: rec,
      mlflow: reg.client,
      smoke: () => Promise.resolve({ ok: false, detail: '3/10 passed' }),
    })
    expect(out).toMatchObject({ status: 'failure', rolledBack: true })
    expect(reg.moves).toEqual(['set 5', 'set 4'])
    expect(events.at(-1)).toBe('7 failure https://staging.example')
  })

  it('removes the alias on rollback when there was no previous version', async () => {
    const reg = registry('READY')
    const out = await deploy(req, {
      logger: memoryLogger(),
      mlflow: reg.client,
      smoke: () => Promise.reject(new Error('endpoint down')),
    })
    expect(out).toMatchObject({ status: 'failure', rolledBack: true })
    expect(reg.moves).toEqual(['set 5', 'delete'])
    expect(out.steps.find((s) => s.name === 'smoke evaluation')).toEqual({
      name: 'smoke evaluation',
      ok: false,
      detail: 'endpoint down',
    })
  })

  it('never moves the alias when the deployment job fails', async () => {
    const { rec, events } = recorder()
    const reg = registry('READY', '4')
    const out = await deploy(req, {
      logger: memoryLogger(),
      github: rec,
      mlflow: reg.client,
      runJob: job('failed'),
    })
    expect(out).toMatchObject({ status: 'failure', rolledBack: false })
    expect(reg.moves).toEqual([])
    expect(events.at(-1)).toBe('7 failure https://staging.example')
  })

  it('ends in error when the version failed registration, and says so', async () => {
    const { rec, events } = recorder()
    const out = await deploy(req, {
      logger: memoryLogger(),
      github: rec,
      mlflow: registry('FAILED_REGISTRATION').client,
    })
    expect(out.status).toBe('error')
    expect(out.steps.find((s) => s.name === 'MLflow version')?.detail).toContain(
      'm version 5 failed registration',
    )
    expect(events.at(-1)).toBe('7 error https://staging.example')
  })

  it('stops before anything else when the GitHub deployment cannot be created', async () => {
    const reg = registry('READY', '4')
    const rec: DeploymentRecorder = {
      create: () => Promise.reject(new Error('409 conflict: failing status checks')),
      status: () => Promise.resolve(),
    }
    const out = await deploy(req, { logger: memoryLogger(), github: rec, mlflow: reg.client })
    expect(out.status).toBe('error')
    expect(out.steps).toEqual([
      { name: 'GitHub deployment', ok: false, detail: '409 conflict: failing status checks' },
    ])
    expect(reg.http.calls).toEqual([])
  })

  it('lists a status that could not be recorded instead of hiding it', async () => {
    const rec: DeploymentRecorder = {
      create: () => Promise.resolve({ id: 1 }),
      status: (_id, state) =>
        state === 'success' ? Promise.reject(new Error('502')) : Promise.resolve(),
    }
    const { model: _model, version: _version, ...withoutModel } = req
    const out = await deploy(withoutModel, { logger: memoryLogger(), github: rec })
    expect(out.steps.at(-1)).toEqual({
      name: 'deployment status success',
      ok: false,
      detail: 'could not be recorded: 502',
    })
  })
})
