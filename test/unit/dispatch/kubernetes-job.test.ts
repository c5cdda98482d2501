import { describe, expect, it } from 'vitest'
import { kubernetesJobManifest, kubernetesJobName } from '../../../src/dispatch/kubernetes-job.js'
import { PodLogBuffer } from '../../../src/dispatch/kubernetes-logs.js'
import { jobState } from '../../../src/dispatch/kubernetes-status.js'

const ids = { repo: 'Octo/Models', sha: 'a'.repeat(40), kind: 'finetune', configHash: 'h1' }

describe('kubernetesJobName', () => {
  it('is deterministic, a DNS-1123 label, and changes with repo, sha, kind or config', () => {
    const name = kubernetesJobName(ids)
    expect(name).toMatch(/^llmops-finetune-[0-9a-f]{10}$/)
    expect(kubernetesJobName(ids)).toBe(name)
    const variants = [
      { ...ids, repo: 'octo/other' },
      { ...ids, sha: 'b'.repeat(40) },
      { ...ids, kind: 'deploy-staging' },
      { ...ids, configHash: 'h2' },
    ].map(kubernetesJobName)
    expect(new Set([name, ...variants]).size).toBe(5)
  })

  it('stays within 63 characters for the longest environment name', () => {
    const name = kubernetesJobName({ ...ids, kind: `deploy-${'x'.repeat(40)}` })
    expect(name.length).toBeLessThanOrEqual(63)
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
    expect(kubernetesJobName({ ...ids, kind: 'deploy-a--' })).toMatch(
      /^llmops-deploy-a-[0-9a-f]{10}$/,
    )
  })
})

describe('kubernetesJobManifest', () => {
  const input = {
    name: 'llmops-finetune-0123456789',
    namespace: 'ml',
    image: 'trainer:2',
    command: ['python', 'train.py'],
    env: { LR: '$(rm -rf /)', LLMOPS_SHA: 'a'.repeat(40) },
    gpus: 0,
    gpuResource: 'nvidia.com/gpu',
    backoffLimit: 1,
    activeDeadlineSeconds: 7200,
    ttlSecondsAfterFinished: 600,
    repository: 'octo/models',
    sha: 'a'.repeat(40),
    kind: 'deploy-staging',
  }

  it('without GPUs or resources has no resources block; user values only as env entries', () => {
    const m = kubernetesJobManifest(input) as {
      spec: {
        template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } }
      }
    }
    const pod = m.spec.template.spec
    expect(pod.containers[0]).toEqual({
      name: 'job',
      image: 'trainer:2',
      command: ['python', 'train.py'],
      env: [
        { name: 'LR', value: '$(rm -rf /)' },
        { name: 'LLMOPS_SHA', value: 'a'.repeat(40) },
      ],
    })
    expect(Object.keys(pod).sort()).toEqual(['containers', 'restartPolicy'])
    expect(m).toMatchObject({
      metadata: { labels: { 'app.kubernetes.io/component': 'deploy-staging' } },
      spec: { backoffLimit: 1, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 600 },
    })
  })

  it('GPUs go into requests and limits alike, next to the configured resources; pod options pass through', () => {
    const m = kubernetesJobManifest({
      ...input,
      gpus: 4,
      gpuResource: 'amd.com/gpu',
      resources: { requests: { cpu: '8', memory: '64Gi' }, limits: { memory: '64Gi' } },
      serviceAccount: 'trainer',
      nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
      imagePullSecrets: ['ghcr'],
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'spot', value: 'true', toleration_seconds: 60, effect: 'NoExecute' },
      ],
    }) as {
      spec: {
        template: { spec: Record<string, unknown> & { containers: { resources: unknown }[] } }
      }
    }
    const pod = m.spec.template.spec
    expect(pod.containers[0]!.resources).toEqual({
      requests: { cpu: '8', memory: '64Gi', 'amd.com/gpu': '4' },
      limits: { memory: '64Gi', 'amd.com/gpu': '4' },
    })
    expect(pod.serviceAccountName).toBe('trainer')
    expect(pod.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4' })
    expect(pod.imagePullSecrets).toEqual([{ name: 'ghcr' }])
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'spot', value: 'true', tolerationSeconds: 60, effect: 'NoExecute' },
    ])
  })
})

describe('jobState', () => {
  const cond = (type: string, reason = 'R', message = 'M', status = 'True') => ({
    type,
    status,
    reason,
    message,
  })
  it.each([
    [{}, { phase: 'pending', status: 'Pending', message: 'active 0, ready 0, failed 0' }],
    [
      { status: { active: 1, ready: 1 } },
      { phase: 'running', status: 'Running', message: 'active 1, ready 1, failed 0' },
    ],
    [
      { spec: { suspend: true } },
      { phase: 'pending', status: 'Suspended', message: 'the Job is suspended' },
    ],
    [
      { status: { conditions: [cond('Suspended', 'JobSuspended', 'Job suspended')] } },
      { phase: 'pending', status: 'Suspended', message: 'JobSuspended: Job suspended' },
    ],
    [
      { status: { conditions: [cond('SuccessCriteriaMet', 'CompletionsReached', 'done')] } },
      { phase: 'succeeded', status: 'SuccessCriteriaMet', message: 'CompletionsReached: done' },
    ],
    [
      {
        status: {
          conditions: [cond('SuccessCriteriaMet'), cond('Complete', 'CompletionsReached', 'all')],
        },
      },
      { phase: 'succeeded', status: 'Complete', message: 'CompletionsReached: all' },
    ],
    [
      {
        status: {
          active: 1,
          conditions: [
            cond(
              'FailureTarget',
              'DeadlineExceeded',
              'Job was active longer than specified deadline',
            ),
          ],
        },
      },
      {
        phase: 'failed',
        status: 'FailureTarget',
        message: 'DeadlineExceeded: Job was active longer than specified deadline',
      },
    ],
    [
      { status: { conditions: [cond('Failed', 'PodFailurePolicy', 'exit 42')] } },
      { phase: 'failed', status: 'Failed', message: 'PodFailurePolicy: exit 42' },
    ],
    [
      { status: { active: 1, conditions: [cond('Complete', 'R', 'M', 'False')] } },
      { phase: 'running', status: 'Running', message: 'active 1, ready 0, failed 0' },
    ],
  ])('%j → %j', (job, state) => {
    expect(jobState({ metadata: { name: 'j' }, ...job })).toEqual(state)
  })
})

describe('PodLogBuffer', () => {
  const ts = (s: number, frac = '') => `2026-01-01T00:00:0${s}${frac}Z`
  it('adds only new lines from sliding timestamped tails, across fraction lengths and equal stamps', () => {
    const b = new PodLogBuffer()
    b.add('p', `${ts(1, '.5')} a\n${ts(1, '.5')} b\n`, 3)
    expect(b.value).toBe('a\nb\n')
    // ".5" sorts before ".55" once normalised (a plain string compare would say otherwise).
    b.add('p', `${ts(1, '.5')} a\n${ts(1, '.5')} b\n${ts(1, '.55')} c\n`, 3)
    expect(b.value).toBe('a\nb\nc\n')
    b.add('p', `${ts(1, '.55')} c\n${ts(2)} d\n`, 3)
    expect(b.value).toBe('a\nb\nc\nd\n')
    b.add('p', `${ts(2)} d\n`, 3)
    expect(b.value).toBe('a\nb\nc\nd\n')
  })

  it('marks lines lost between reads and the switch to a retried pod', () => {
    const b = new PodLogBuffer()
    b.add('p1', `${ts(1)} a\n`, 2)
    b.add('p1', `${ts(5)} x\n${ts(6)} y\n`, 2)
    b.add('p2', `${ts(7)} retry\n`, 2)
    expect(b.value).toBe(
      'a\n[earlier lines of p1 not shown: more than 2 new lines]\nx\ny\n--- pod p2 ---\nretry\n',
    )
  })
})
