import { describe, expect, it } from 'vitest'
import { kubernetesDriver } from '../../../src/dispatch/kubernetes.js'
import type { KubeConnection } from '../../../src/dispatch/kubernetes-credentials.js'
import { ConfigurationError, InfrastructureError } from '../../../src/errors.js'
import { fakeHttp } from './fakes.js'

const connection: KubeConnection = {
  server: 'http://k8s.test',
  authorization: () => 'Bearer t',
  tls: {},
  source: 'test',
}
const manifest = { metadata: { name: 'llmops-finetune-abc', namespace: 'ml' } }
const POD = (name: string, phase: string, created: string) => ({
  metadata: { name, creationTimestamp: created },
  status: { phase },
})

describe('kubernetesDriver', () => {
  it('falls back to the legacy job-name label, skips pending pods and containers not started yet', async () => {
    const http = fakeHttp(({ url }) => {
      if (url.includes('labelSelector=batch.kubernetes.io%2Fjob-name%3Dllmops-finetune-abc'))
        return { status: 200, body: { items: [] } }
      if (url.includes('labelSelector=job-name%3Dllmops-finetune-abc'))
        return {
          status: 200,
          body: {
            items: [
              POD('b-new', 'Pending', '2026-01-01T00:00:09Z'),
              POD('a-retry', 'Running', '2026-01-01T00:00:05Z'),
              POD('c-first', 'Failed', '2026-01-01T00:00:01Z'),
            ],
          },
        }
      if (url.includes('/pods/c-first/log'))
        return { status: 200, body: '2026-01-01T00:00:02.1Z first try\n' }
      if (url.includes('/pods/a-retry/log'))
        return { status: 400, body: { kind: 'Status', reason: 'BadRequest', message: 'waiting' } }
      return { status: 500, body: null }
    })
    const driver = kubernetesDriver(connection, manifest, { http, tailLines: 50 })
    expect(await driver.logs('llmops-finetune-abc')).toBe('first try\n')
    expect(http.calls.map((c) => c.url.replace('http://k8s.test', ''))).toEqual([
      '/api/v1/namespaces/ml/pods?labelSelector=batch.kubernetes.io%2Fjob-name%3Dllmops-finetune-abc',
      '/api/v1/namespaces/ml/pods?labelSelector=job-name%3Dllmops-finetune-abc',
      '/api/v1/namespaces/ml/pods/c-first/log?container=job&timestamps=true&tailLines=50',
      '/api/v1/namespaces/ml/pods/a-retry/log?container=job&timestamps=true&tailLines=50',
    ])
  })

  it('a Job that is gone reads as stopped; a cancel of a gone Job is fine', async () => {
    const notFound = { kind: 'Status', reason: 'NotFound', message: 'jobs.batch "x" not found' }
    const http = fakeHttp(() => ({ status: 404, body: notFound }))
    const driver = kubernetesDriver(connection, manifest, { http })
    expect(await driver.status('x')).toEqual({
      phase: 'stopped',
      status: 'Deleted',
      message: 'Job ml/x no longer exists (deleted)',
    })
    await driver.cancel('x')
    expect(http.calls[1]).toMatchObject({
      method: 'DELETE',
      body: { propagationPolicy: 'Background' },
    })
  })

  it('a server error is an InfrastructureError quoting the Status; a 400 is the configuration', async () => {
    const http = fakeHttp(({ method }) =>
      method === 'GET'
        ? {
            status: 500,
            body: {
              kind: 'Status',
              reason: 'InternalError',
              message: 'etcdserver: request timed out',
            },
          }
        : {
            status: 400,
            body: {
              kind: 'Status',
              reason: 'BadRequest',
              message: 'strict decoding error: unknown field "spec.x"',
            },
          },
    )
    const driver = kubernetesDriver(connection, manifest, { http })
    await expect(driver.status('x')).rejects.toThrow(
      new InfrastructureError(
        'Kubernetes API http://k8s.test: reading Job ml/x failed with HTTP 500 InternalError: etcdserver: request timed out',
      ),
    )
    const error = await driver.submit().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toBe(
      'Kubernetes API http://k8s.test: creating Job ml/llmops-finetune-abc was rejected (400 BadRequest): strict decoding error: unknown field "spec.x"',
    )
  })
})
