import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCliCaptured } from '../../helpers/run-cli.js'
import {
  createTestPki,
  DEFAULT_TOKEN,
  startKubernetesDouble,
  type KubernetesDouble,
  type TestPki,
} from '../../doubles/kubernetes/server.js'

let pki: TestPki
let double: KubernetesDouble | undefined
beforeAll(() => {
  pki = createTestPki()
})
afterEach(async () => {
  await double?.close()
  double = undefined
})

const sha = 'c'.repeat(40)

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llmops-k8s-cli-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

describe('llmops finetune --target kubernetes', () => {
  it('flags alone: submits, follows to SUCCEEDED, exit 0; the command is an argv, not a shell line', async () => {
    double = await startKubernetesDouble({ namespaces: ['ci'] })
    double.state.autopilot = () => ({ outcome: 'Complete', logs: ['ok'], endAfterReads: 1 })
    const r = await runCliCaptured(
      [
        'finetune',
        '--target',
        'kubernetes',
        '--image',
        'ghcr.io/octo/trainer:1',
        '--command',
        'python train.py --epochs 1',
        '--namespace',
        'ci',
        '--api-server',
        double.url,
        '--token-env',
        'K8S_TOKEN',
        '--num-gpus',
        '1',
        '--env',
        'NOTE=$(id) && reboot',
        '--sha',
        sha,
      ],
      { env: { K8S_TOKEN: DEFAULT_TOKEN } },
    )
    expect(r.out).toBe('SUCCEEDED\n')
    expect(r.code).toBe(0)
    const body = double.state.requests.find((q) => q.method === 'POST')!.body as {
      spec: {
        template: {
          spec: { containers: { command: string[]; env: { name: string; value: string }[] }[] }
        }
      }
    }
    const container = body.spec.template.spec.containers[0]!
    expect(container.command).toEqual(['python', 'train.py', '--epochs', '1'])
    expect(container.env[0]).toEqual({ name: 'NOTE', value: '$(id) && reboot' })
    expect(r.err).toContain('[kubernetes] ok')
  })

  it('KUBECONFIG over HTTPS with the cluster CA: a failing Job prints FAILED and exits 1', async () => {
    double = await startKubernetesDouble({
      namespaces: ['ml'],
      tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca },
    })
    double.state.autopilot = () => ({
      outcome: 'Failed',
      logs: ['CUDA out of memory'],
      endAfterReads: 1,
    })
    const dir = workdir({
      'ca.crt': pki.ca,
      kubeconfig: `current-context: ci
clusters: [{ name: d, cluster: { server: '${double.url}', certificate-authority: ca.crt } }]
contexts: [{ name: ci, context: { cluster: d, user: u, namespace: ml } }]
users: [{ name: u, user: { token: ${DEFAULT_TOKEN} } }]
`,
    })
    const r = await runCliCaptured(
      [
        'finetune',
        '--target',
        'kubernetes',
        '--image',
        'trainer:1',
        '--command',
        '["python","-c","import torch"]',
        '--sha',
        sha,
      ],
      { env: { KUBECONFIG: path.join(dir, 'kubeconfig') } },
    )
    expect(r.out).toBe('FAILED\n')
    expect(r.code).toBe(1)
    expect(r.err).toContain('[kubernetes] CUDA out of memory')
    expect(double.state.requests[0]!.path).toBe('/apis/batch/v1/namespaces/ml/jobs')
  })

  it('an exec-plugin kubeconfig and a missing --image are usage errors (exit 2)', async () => {
    const dir = workdir({
      kubeconfig: `current-context: eks
clusters: [{ name: c, cluster: { server: 'https://eks.example' } }]
contexts: [{ name: eks, context: { cluster: c, user: aws } }]
users: [{ name: aws, user: { exec: { command: aws, args: [eks, get-token] } } }]
`,
    })
    const exec = await runCliCaptured([
      'finetune',
      '--target',
      'kubernetes',
      '--image',
      'i',
      '--command',
      'train',
      '--kubeconfig',
      path.join(dir, 'kubeconfig'),
    ])
    expect(exec.code).toBe(2)
    expect(exec.err).toContain(
      "user 'aws' authenticates with an exec plugin, which is not supported",
    )
    const noImage = await runCliCaptured([
      'finetune',
      '--target',
      'kubernetes',
      '--command',
      'train',
    ])
    expect(noImage.code).toBe(2)
    expect(noImage.err).toContain('--target kubernetes needs --image IMG and --command CMD')
  })

  it('an unreachable API server exits 3', async () => {
    double = await startKubernetesDouble()
    const url = double.url
    await double.close()
    double = undefined
    const r = await runCliCaptured([
      'finetune',
      '--target',
      'kubernetes',
      '--image',
      'i',
      '--command',
      'train',
      '--api-server',
      url,
    ])
    expect(r.code).toBe(3)
    expect(r.err).toContain(`Kubernetes API ${url} is unreachable after 5 attempts`)
  })
})

describe('llmops deploy with a Kubernetes deploy job', () => {
  it('runs the environment job as a Job named for the environment and succeeds', async () => {
    double = await startKubernetesDouble({ namespaces: ['serving'] })
    double.state.autopilot = () => ({ outcome: 'Complete', logs: ['rolled out'], endAfterReads: 1 })
    const dir = workdir({
      'llmops.yml': [
        'version: 1',
        'deploy:',
        '  environments:',
        '    staging:',
        `      job: { target: kubernetes, api_server: "${double.url}", token_env: K8S_TOKEN, namespace: serving, image: "deployer:3", command: [deploy, --to, staging] }`,
      ].join('\n'),
    })
    const r = await runCliCaptured(
      ['deploy', '--environment', 'staging', '--sha', sha, '--config', 'llmops.yml', '--no-github'],
      { cwd: dir, env: { K8S_TOKEN: DEFAULT_TOKEN } },
    )
    expect(r.out).toBe('success\n')
    expect(r.code).toBe(0)
    const created = double.state.requests.find((q) => q.method === 'POST')!.body as {
      metadata: { name: string; labels: Record<string, string> }
      spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } }
    }
    expect(created.metadata.name).toMatch(/^llmops-deploy-staging-[0-9a-f]{10}$/)
    expect(created.metadata.labels['app.kubernetes.io/component']).toBe('deploy-staging')
    expect(created.spec.template.spec.containers[0]!.env).toContainEqual({
      name: 'LLMOPS_ENVIRONMENT',
      value: 'staging',
    })
  })
})
