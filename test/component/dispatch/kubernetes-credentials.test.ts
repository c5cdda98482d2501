import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { jobTargetSchema } from '../../../src/dispatch/config-schema.js'
import { followJob } from '../../../src/dispatch/job.js'
import { kubernetesTargetDriver } from '../../../src/dispatch/kubernetes-target.js'
import { ConfigurationError } from '../../../src/errors.js'
import {
  createTestPki,
  DEFAULT_TOKEN,
  DEFAULT_USER,
  startKubernetesDouble,
  type KubernetesDouble,
  type TestPki,
} from '../../doubles/kubernetes/server.js'

let pki: TestPki
let double: KubernetesDouble
beforeAll(() => {
  pki = createTestPki()
})
afterEach(async () => {
  await double?.close()
})

const ids = { repo: 'octo/models', sha: 'e'.repeat(40), configHash: 'abc', kind: 'finetune' }
const b64 = (text: string) => Buffer.from(text).toString('base64')
const readPem = (file: string) => readFileSync(file, 'utf8')

async function httpsDouble() {
  double = await startKubernetesDouble({
    namespaces: ['ml'],
    tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca },
  })
  double.state.autopilot = () => ({ outcome: 'Complete', logs: ['trained'] })
  return double
}

/** Writes a kubeconfig in its own directory (so relative paths are exercised) and returns its path. */
function kubeconfig(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'))
  const file = path.join(dir, 'config')
  writeFileSync(file, text)
  return file
}

const target = (extra: Record<string, unknown> = {}) => {
  const t = jobTargetSchema.parse({
    target: 'kubernetes',
    image: 'trainer:1',
    command: ['python', 'train.py'],
    timeout_s: 600,
    ...extra,
  })
  if (t.target !== 'kubernetes') throw new Error('unreachable')
  return t
}

async function run(driver: ReturnType<typeof kubernetesTargetDriver>) {
  const { id } = await driver.submit()
  return followJob(driver, id, { timeoutMs: 60_000, pollMs: 1, logger: memoryLogger() })
}

describe('kubernetes credentials over TLS', () => {
  it('kubeconfig: certificate-authority file (relative path) and a client certificate; namespace from the context', async () => {
    await httpsDouble()
    const file = kubeconfig(`apiVersion: v1
kind: Config
current-context: ci
clusters:
  - name: double
    cluster:
      server: ${double.url}
      certificate-authority: ca.crt
contexts:
  - name: ci
    context: { cluster: double, user: deployer, namespace: ml }
users:
  - name: deployer
    user:
      client-certificate-data: ${b64(readPem(pki.clientCertFile))}
      client-key-data: ${b64(readPem(pki.clientKeyFile))}
`)
    writeFileSync(path.join(path.dirname(file), 'ca.crt'), pki.ca)
    const r = await run(kubernetesTargetDriver(target({ kubeconfig: file }), ids, {}, {}))
    expect(r.state.phase).toBe('succeeded')
    expect(r.logTail).toBe('trained')
    expect(new Set(double.state.requests.map((q) => q.user))).toEqual(new Set([pki.clientUser]))
    expect(double.state.requests[0]!.path).toBe('/apis/batch/v1/namespaces/ml/jobs')
  })

  it('KUBECONFIG: certificate-authority-data, tokenFile, and a context chosen by name', async () => {
    await httpsDouble()
    const dir = mkdtempSync(path.join(tmpdir(), 'kubetoken-'))
    writeFileSync(path.join(dir, 'token'), `${DEFAULT_TOKEN}\n`)
    const file = kubeconfig(`apiVersion: v1
kind: Config
current-context: elsewhere
clusters:
  - name: double
    cluster: { server: '${double.url}', certificate-authority-data: ${b64(pki.ca)} }
contexts:
  - name: elsewhere
    context: { cluster: nowhere, user: nobody }
  - name: ci
    context: { cluster: double, user: bot }
users:
  - name: bot
    user: { tokenFile: ${path.join(dir, 'token')} }
`)
    const driver = kubernetesTargetDriver(
      target({ context: 'ci', namespace: 'ml' }),
      ids,
      { KUBECONFIG: file },
      {},
    )
    const r = await run(driver)
    expect(r.state.phase).toBe('succeeded')
    expect(double.state.requests.every((q) => q.user === DEFAULT_USER)).toBe(true)
  })

  it('in-cluster: service account token, CA and namespace from the mounted directory', async () => {
    await httpsDouble()
    const sa = mkdtempSync(path.join(tmpdir(), 'serviceaccount-'))
    writeFileSync(path.join(sa, 'token'), DEFAULT_TOKEN)
    writeFileSync(path.join(sa, 'ca.crt'), pki.ca)
    writeFileSync(path.join(sa, 'namespace'), 'ml')
    const port = new URL(double.url).port
    const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port }
    const r = await run(kubernetesTargetDriver(target(), ids, env, {}, { serviceAccountDir: sa }))
    expect(r.state.phase).toBe('succeeded')
    expect(double.state.requests[0]!.path).toBe('/apis/batch/v1/namespaces/ml/jobs')
    expect(double.state.requests[0]!.user).toBe(DEFAULT_USER)
  })

  it('a server certificate from an unknown CA is a ConfigurationError saying to give the CA, unless insecure-skip-tls-verify', async () => {
    await httpsDouble()
    const config = (extra: string) =>
      kubeconfig(`current-context: ci
clusters: [{ name: d, cluster: { server: '${double.url}'${extra} } }]
contexts: [{ name: ci, context: { cluster: d, user: u, namespace: ml } }]
users: [{ name: u, user: { token: ${DEFAULT_TOKEN} } }]
`)
    const refused = await kubernetesTargetDriver(
      target({ kubeconfig: config('') }),
      ids,
      {},
      {},
      {
        retries: 0,
      },
    )
      .submit()
      .catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(ConfigurationError)
    expect((refused as Error).message).toMatch(
      /the server's TLS certificate is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\) with the credentials from kubeconfig .* Give the cluster's CA/,
    )
    const insecure = config(', insecure-skip-tls-verify: true')
    const r = await run(kubernetesTargetDriver(target({ kubeconfig: insecure }), ids, {}, {}))
    expect(r.state.phase).toBe('succeeded')
  })
})
