import { afterEach, describe, expect, it } from 'vitest'
import { expandSource } from '../../../src/dispatch/register.js'
import {
  DEFAULT_TOKEN,
  startKubernetesDouble,
  type KubernetesDouble,
} from '../../doubles/kubernetes/server.js'
import { runCliCaptured } from '../../helpers/run-cli.js'
import { startFakeMlflow, type FakeMlflow } from './mlflow-fake.js'

let k8s: KubernetesDouble | undefined
let mlflow: FakeMlflow | undefined
afterEach(async () => {
  await Promise.all([k8s?.close(), mlflow?.close()])
  k8s = undefined
  mlflow = undefined
})

const sha = 'd'.repeat(40)

async function finetune(extra: string[], env: Record<string, string> = {}) {
  k8s = await startKubernetesDouble({ namespaces: ['ci'] })
  k8s.state.autopilot = () => ({ outcome: 'Complete', logs: ['trained'], endAfterReads: 1 })
  return runCliCaptured(
    [
      'finetune',
      '--target',
      'kubernetes',
      '--image',
      'ghcr.io/octo/trainer:1',
      '--command',
      'python train.py',
      '--namespace',
      'ci',
      '--api-server',
      k8s.url,
      '--token-env',
      'K8S_TOKEN',
      '--sha',
      sha,
      '--poll',
      '1',
      ...extra,
    ],
    { env: { K8S_TOKEN: DEFAULT_TOKEN, GITHUB_REPOSITORY: 'octo/models', ...env } },
  )
}

describe('llmops finetune --model: the fine-tuned model registered in MLflow', () => {
  it('hands the job its run, registers the version READY from that run, closes the run', async () => {
    mlflow = await startFakeMlflow()
    const r = await finetune(['--mlflow-uri', mlflow.url, '--model', 'tiny'])
    expect(r.err).not.toContain('failed')
    expect(r.out).toBe('SUCCEEDED\n')
    expect(r.code).toBe(0)
    const [run] = [...mlflow.runs.values()]
    // The Job received the run to log into, as environment values.
    const job = k8s!.state.requests.find((q) => q.method === 'POST')!.body as {
      spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } }
    }
    const env = Object.fromEntries(
      job.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]),
    )
    expect(env).toMatchObject({ MLFLOW_RUN_ID: run!.runId, MLFLOW_TRACKING_URI: mlflow.url })
    expect(run!.tags.get('llmops.sha')).toBe(sha)
    // The job never touched the run: it is closed for it, FINISHED since the job succeeded.
    expect(run!.status).toBe('FINISHED')
    expect(mlflow.versions).toHaveLength(1)
    expect(mlflow.versions[0]).toMatchObject({ name: 'tiny', version: '1', status: 'READY' })
    expect(mlflow.versions[0]!.tags.get('llmops.sha')).toBe(sha)
    expect(r.err).toContain('tiny version 1 created from mlflow-artifacts:')
  })

  it('a version in FAILED_REGISTRATION fails the step although the job succeeded', async () => {
    mlflow = await startFakeMlflow()
    mlflow.newVersionStatus = 'FAILED_REGISTRATION'
    const r = await finetune(['--mlflow-uri', mlflow.url, '--model', 'tiny'])
    expect(r.out).toBe('SUCCEEDED\n')
    expect(r.code).toBe(1)
    expect(r.err).toContain('model registration failed')
    expect(r.err).toContain('tiny version 1 failed registration: source not found')
  })

  it('refuses a model without a tracking server, and an unknown source placeholder', async () => {
    const noServer = await finetune(['--model', 'tiny'])
    expect(noServer.code).toBe(2)
    expect(noServer.err).toContain("registering 'tiny' needs a tracking server")
    expect(() => expandSource('s3://b/{branch}/m', { sha })).toThrow('{branch} is not known here')
    expect(expandSource('s3://b/{short_sha}/{job_id}', { short_sha: 'dddd', job_id: 'j1' })).toBe(
      's3://b/dddd/j1',
    )
  })
})
