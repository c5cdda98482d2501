import { readFileSync } from 'node:fs'
import { request } from 'undici'
import { parse } from 'yaml'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigurationError, InfrastructureError } from '../../../src/errors.js'
import type { Clock } from '../../../src/providers/retry.js'
import { memoryLogger } from '../../../src/core/logger.js'
import type { JobTarget } from '../../../src/dispatch/config-schema.js'
import { driverFor } from '../../../src/dispatch/drivers.js'
import { followJob } from '../../../src/dispatch/job.js'
import { jobTargetSchema } from '../../../src/dispatch/config-schema.js'
import {
  DEFAULT_TOKEN,
  startKubernetesDouble,
  type KubernetesDouble,
} from '../../doubles/kubernetes/server.js'

let double: KubernetesDouble | undefined
afterEach(async () => {
  await double?.close()
  double = undefined
})

const ids = { repo: 'octo/models', sha: 'e'.repeat(40), configHash: 'abc', kind: 'finetune' }
const env = { K8S_TOKEN: DEFAULT_TOKEN }

function target(extra: Record<string, unknown> = {}): JobTarget {
  return jobTargetSchema.parse({
    target: 'kubernetes',
    api_server: double?.url ?? 'http://127.0.0.1:9',
    token_env: 'K8S_TOKEN',
    namespace: 'ci',
    image: 'ghcr.io/octo/trainer:1.4',
    command: ['python', 'train.py', '--config', 'lora.yaml'],
    gpus: 2,
    timeout_s: 3600,
    ...extra,
  })
}

const follow = (driver: ReturnType<typeof driverFor>, id: string, logger = memoryLogger()) =>
  followJob(driver, id, { timeoutMs: 60_000, pollMs: 1, logger })

describe('kubernetes target against the API double', () => {
  it('creates a batch/v1 Job the description accepts and follows it to SUCCEEDED with its log', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    double.state.autopilot = () => ({
      outcome: 'Complete',
      logs: ['epoch 1 loss=1.2', 'epoch 2 loss=0.8', 'saved adapter'],
    })
    const driver = driverFor(
      target({
        resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { memory: '16Gi' } },
        service_account: 'trainer',
        node_selector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        image_pull_secrets: ['ghcr'],
      }),
      ids,
      env,
      { LR: '$(reboot)' },
    )
    const { id, resumed } = await driver.submit()
    expect(resumed).toBe(false)
    expect(id).toMatch(/^llmops-finetune-[0-9a-f]{10}$/)
    const logger = memoryLogger()
    const r = await follow(driver, id, logger)
    expect(r.state).toEqual({
      phase: 'succeeded',
      status: 'Complete',
      message: 'CompletionsReached: Reached expected number of succeeded pods',
    })
    expect(r.logTail).toBe('epoch 1 loss=1.2\nepoch 2 loss=0.8\nsaved adapter')
    expect(logger.lines.filter((l) => l.includes('[kubernetes] epoch'))).toHaveLength(2)

    const create = double.state.requests.find((q) => q.method === 'POST')!
    expect(create.path).toBe('/apis/batch/v1/namespaces/ci/jobs')
    expect(create.query).toEqual({ fieldValidation: 'Strict' })
    expect(create.status).toBe(201)
    expect(create.body).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: id,
        namespace: 'ci',
        labels: {
          'app.kubernetes.io/managed-by': 'llmops-action',
          'app.kubernetes.io/component': 'finetune',
        },
        annotations: { 'llmops-action/repository': 'octo/models', 'llmops-action/sha': ids.sha },
      },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: 3600,
        ttlSecondsAfterFinished: 86400,
        template: {
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: 'trainer',
            nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
            tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
            imagePullSecrets: [{ name: 'ghcr' }],
            containers: [
              {
                name: 'job',
                image: 'ghcr.io/octo/trainer:1.4',
                command: ['python', 'train.py', '--config', 'lora.yaml'],
                resources: {
                  requests: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '2' },
                  limits: { memory: '16Gi', 'nvidia.com/gpu': '2' },
                },
              },
            ],
          },
        },
      },
    })
    const container = (
      create.body as { spec: { template: { spec: { containers: { env: unknown }[] } } } }
    ).spec.template.spec.containers[0]!
    expect(container.env).toEqual([
      { name: 'LR', value: '$(reboot)' },
      { name: 'LLMOPS_SHA', value: ids.sha },
      { name: 'LLMOPS_REPOSITORY', value: 'octo/models' },
      { name: 'LLMOPS_JOB_KIND', value: 'finetune' },
    ])
    const logReads = double.state.requests.filter((q) => q.path.endsWith('/log'))
    expect(logReads[0]!.query).toEqual({ container: 'job', timestamps: 'true', tailLines: '1000' })
    expect(double.state.requests.every((q) => q.status < 400)).toBe(true)
  })

  it('follows a failing Job to FAILED with the reason and the log tail', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    double.state.autopilot = () => ({
      outcome: 'Failed',
      logs: ['loading data', 'Traceback (most recent call last):', 'ValueError: bad lr'],
    })
    const driver = driverFor(target(), ids, env, {})
    const { id } = await driver.submit()
    const r = await follow(driver, id)
    expect(r.state).toEqual({
      phase: 'failed',
      status: 'Failed',
      message: 'BackoffLimitExceeded: Job has reached the specified backoff limit',
    })
    expect(r.logTail.split('\n').slice(-2)).toEqual([
      'Traceback (most recent call last):',
      'ValueError: bad lr',
    ])
  })

  it('cancels on timeout: deletes the Job with Background propagation, pods go too, STOPPED', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    double.state.autopilot = () => ({ outcome: 'Running', logs: ['step 1', 'step 2'] })
    const driver = driverFor(target(), ids, env, {})
    const { id } = await driver.submit()
    let t = 0
    const clock: Clock = { now: () => t, sleep: (ms) => ((t += ms), Promise.resolve()) }
    const r = await followJob(driver, id, {
      timeoutMs: 30,
      pollMs: 10,
      logger: memoryLogger(),
      clock,
    })
    expect(r.timedOut).toBe(true)
    expect(r.state).toEqual({
      phase: 'stopped',
      status: 'Deleted',
      message: `Job ci/${id} no longer exists (deleted)`,
    })
    expect(r.logTail).toBe('step 1')
    const del = double.state.requests.find((q) => q.method === 'DELETE')!
    expect(del.path).toBe(`/apis/batch/v1/namespaces/ci/jobs/${id}`)
    expect(del.body).toEqual({
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
    })
    expect(del.status).toBe(200)
    expect(double.state.jobs.size).toBe(0)
    expect(double.state.pods.size).toBe(0)
  })

  it('a duplicate submission finds the existing Job (409 AlreadyExists) and follows it', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    const first = await driverFor(target(), ids, env, {}).submit()
    const again = await driverFor(target(), ids, env, {}).submit()
    expect(again).toEqual({ id: first.id, resumed: true })
    expect(double.state.jobs.size).toBe(1)
    expect(double.state.requests.filter((q) => q.method === 'POST').map((q) => q.status)).toEqual([
      201, 409,
    ])
    const other = await driverFor(target(), { ...ids, sha: 'f'.repeat(40) }, env, {}).submit()
    expect(other.resumed).toBe(false)
    expect(other.id).not.toBe(first.id)
  })

  it('refuses to adopt a Job of the same name made for another commit', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    const { id } = await driverFor(target(), ids, env, {}).submit()
    double.state.job('ci', id)!.metadata.annotations!['llmops-action/sha'] = 'a'.repeat(40)
    await expect(driverFor(target(), ids, env, {}).submit()).rejects.toThrow(
      /exists that was not created for this commit/,
    )
  })

  it('a wrong token is a ConfigurationError naming the 401', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    const error = await driverFor(target(), ids, { K8S_TOKEN: 'stale' }, {})
      .submit()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toContain('401 Unauthorized')
    expect((error as Error).message).toContain(`api_server ${double.url}`)
  })

  it('missing RBAC is a ConfigurationError quoting the API and naming the verbs needed', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'], forbid: ['create jobs'] })
    const error = await driverFor(target(), ids, env, {})
      .submit()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toContain(
      'User "system:serviceaccount:ci:llmops" cannot create resource "jobs" in API group "batch" in the namespace "ci"',
    )
    expect((error as Error).message).toContain(
      "in namespace 'ci': jobs (group batch): create, get, delete; pods: list; pods/log: get",
    )
  })

  it('a Job the API server finds invalid (422) shows its causes', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    const bad = target({
      gpus: 0,
      resources: {
        requests: { 'nvidia.com/gpu': '1', 'amd.com/gpu': '2' },
        limits: { 'amd.com/gpu': '1' },
      },
    })
    const error = await driverFor(bad, ids, env, {})
      .submit()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    const message = (error as Error).message
    expect(message).toMatch(
      /was rejected \(422 Invalid\): Job\.batch "llmops-finetune-[0-9a-f]{10}" is invalid:\n- /,
    )
    expect(message).toContain(
      '\n- spec.template.spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
    )
    expect(message).toContain(
      '\n- spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be equal to amd.com/gpu limit of 1',
    )
  })

  it('a quantity that does not parse is refused when the body is decoded (400)', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    const bad = target({ resources: { limits: { memory: 'lots' } } })
    const error = await driverFor(bad, ids, env, {})
      .submit()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toContain(
      'was rejected (400 BadRequest): Job in version "v1" cannot be handled as a Job: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
    )
  })

  it('a namespace that does not exist is a ConfigurationError', async () => {
    double = await startKubernetesDouble()
    await expect(driverFor(target(), ids, env, {}).submit()).rejects.toThrow(
      /namespace 'ci' was not found \(namespaces "ci" not found\)/,
    )
  })

  it('an unreachable API server is an InfrastructureError (exit 3)', async () => {
    double = await startKubernetesDouble()
    const url = double.url
    await double.close()
    double = undefined
    const driver = driverFor(target({ api_server: url }), ids, env, {})
    const error = await driver.submit().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InfrastructureError)
    expect((error as Error).message).toMatch(
      /^Kubernetes API http:\/\/127\.0\.0\.1:\d+ is unreachable after 5 attempts: ECONNREFUSED/,
    )
  })

  it('the double refuses what the official description refuses', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    const post = async (query: string, body: unknown) => {
      const res = await request(`${double!.url}/apis/batch/v1/namespaces/ci/jobs${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> }
    }
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'x' },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'i' }] } },
      },
    }
    const typo = await post('?fieldValidation=Strict', {
      ...job,
      spec: { ...job.spec, backofLimit: 1 },
    })
    expect(typo.status).toBe(400)
    expect(typo.body.message).toBe(
      'Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.backofLimit"',
    )
    const wrongType = await post('', { ...job, spec: { ...job.spec, backoffLimit: '1' } })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body.reason).toBe('BadRequest')
    const always = await post('', {
      ...job,
      spec: { template: { spec: { ...job.spec.template.spec, restartPolicy: 'Always' } } },
    })
    expect(always.status).toBe(422)
    expect(always.body).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      details: {
        causes: [{ field: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported' }],
      },
    })
    const unknownQuery = await post('?tail_lines=1', job)
    expect(unknownQuery.status).toBe(400)
    expect((await post('', job)).status).toBe(201)
  })

  it('the Role in docs/dispatch.md is enough for a whole run: submit, follow with logs, cancel', async () => {
    const doc = readFileSync('docs/dispatch.md', 'utf8')
    const yaml = /```yaml\n(apiVersion: rbac[\s\S]*?)```/.exec(doc)![1]!
    const role = parse(yaml) as { rules: { resources: string[]; verbs: string[] }[] }
    const allow = role.rules.flatMap((r) =>
      r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${res}`)),
    )
    double = await startKubernetesDouble({ namespaces: ['ci'], allow })
    double.state.autopilot = () => ({ outcome: 'Running', logs: ['step 1', 'step 2'] })
    const driver = driverFor(target(), ids, env, {})
    const { id } = await driver.submit()
    let t = 0
    const clock: Clock = { now: () => t, sleep: (ms) => ((t += ms), Promise.resolve()) }
    const r = await followJob(driver, id, {
      timeoutMs: 30,
      pollMs: 10,
      logger: memoryLogger(),
      clock,
    })
    expect(r.state.phase).toBe('stopped')
    expect(r.logTail).toBe('step 1')
    expect(double.state.requests.map((q) => q.status).filter((s) => s === 403)).toEqual([])
    const used = new Set(
      double.state.requests.map(
        (q) =>
          `${q.method} ${q.path.replace(id, '{name}').replace(/pods\/[^/]+\/log/, 'pods/{pod}/log')}`,
      ),
    )
    expect([...used].sort()).toEqual([
      'DELETE /apis/batch/v1/namespaces/ci/jobs/{name}',
      'GET /api/v1/namespaces/ci/pods',
      'GET /api/v1/namespaces/ci/pods/{pod}/log',
      'GET /apis/batch/v1/namespaces/ci/jobs/{name}',
      'POST /apis/batch/v1/namespaces/ci/jobs',
    ])
  })
})
