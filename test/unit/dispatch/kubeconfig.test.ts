import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  inClusterConnection,
  loadKubeconfig,
  resolveKubeConnection,
} from '../../../src/dispatch/kubernetes-credentials.js'
import { ConfigurationError } from '../../../src/errors.js'

const b64 = (text: string) => Buffer.from(text).toString('base64')

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'kubecfg-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(d, name), text)
  return d
}

const BASE = `apiVersion: v1
kind: Config
current-context: dev
clusters:
  - name: dev-cluster
    cluster:
      server: https://dev.example:6443/
      certificate-authority-data: ${b64('DEV CA PEM')}
      tls-server-name: kubernetes.default
  - name: prod-cluster
    cluster:
      server: https://prod.example
      certificate-authority: certs/prod-ca.crt
contexts:
  - name: dev
    context: { cluster: dev-cluster, user: dev-user, namespace: training }
  - name: prod
    context: { cluster: prod-cluster, user: prod-user }
users:
  - name: dev-user
    user: { token: dev-token }
  - name: prod-user
    user:
      client-certificate: certs/client.crt
      client-key-data: ${b64('CLIENT KEY PEM')}
`

describe('loadKubeconfig', () => {
  it('uses current-context: server, CA data, server name, token and namespace', () => {
    const d = dir({ config: BASE })
    const c = loadKubeconfig(path.join(d, 'config'))
    expect(c.server).toBe('https://dev.example:6443')
    expect(c.namespace).toBe('training')
    expect(c.tls).toEqual({ ca: 'DEV CA PEM', serverName: 'kubernetes.default' })
    expect(c.authorization()).toBe('Bearer dev-token')
    expect(c.source).toBe(`kubeconfig ${path.join(d, 'config')} (context dev)`)
  })

  it('resolves file paths against the kubeconfig directory; a context without namespace has none', () => {
    const d = dir({ config: BASE })
    const certs = path.join(d, 'certs')
    mkdirp(certs)
    writeFileSync(path.join(certs, 'prod-ca.crt'), 'PROD CA PEM')
    writeFileSync(path.join(certs, 'client.crt'), 'CLIENT CERT PEM')
    const c = loadKubeconfig(path.join(d, 'config'), 'prod')
    expect(c.tls).toEqual({ ca: 'PROD CA PEM', cert: 'CLIENT CERT PEM', key: 'CLIENT KEY PEM' })
    expect(c.namespace).toBeUndefined()
    expect(c.authorization()).toBeUndefined()
  })

  it('re-reads a tokenFile on every request (tokens rotate)', () => {
    const d = dir({
      token: 'first\n',
      config: `current-context: c
clusters: [{ name: k, cluster: { server: 'http://127.0.0.1:8080', insecure-skip-tls-verify: true } }]
contexts: [{ name: c, context: { cluster: k, user: u } }]
users: [{ name: u, user: { tokenFile: token } }]
`,
    })
    const c = loadKubeconfig(path.join(d, 'config'))
    expect(c.tls).toEqual({ insecureSkipVerify: true })
    expect(c.authorization()).toBe('Bearer first')
    writeFileSync(path.join(d, 'token'), 'second')
    expect(c.authorization()).toBe('Bearer second')
  })

  it('merges a KUBECONFIG list like kubectl: first current-context and first entry of a name win', () => {
    const a = dir({
      config: `clusters: [{ name: k, cluster: { server: 'https://a.example' } }]
users: [{ name: u, user: { token: from-a } }]
`,
    })
    const b = dir({
      config: `current-context: c
clusters: [{ name: k, cluster: { server: 'https://b.example' } }]
contexts: [{ name: c, context: { cluster: k, user: u } }]
users: [{ name: u, user: { token: from-b } }]
`,
    })
    const c = loadKubeconfig(
      [path.join(a, 'config'), path.join(a, 'missing'), path.join(b, 'config')].join(
        path.delimiter,
      ),
    )
    expect(c.server).toBe('https://a.example')
    expect(c.authorization()).toBe('Bearer from-a')
  })

  it.each([
    [
      'an exec plugin',
      `users: [{ name: u, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: aws } } }]`,
      /user 'u' authenticates with an exec plugin, which is not supported: it would run a program/,
    ],
    [
      'an auth-provider',
      `users: [{ name: u, user: { auth-provider: { name: gcp } } }]`,
      /authenticates with an auth-provider, which is not supported \(client-go removed them in 1\.26\)\. Write a kubeconfig with a token/,
    ],
    [
      'basic auth',
      `users: [{ name: u, user: { username: admin, password: x } }]`,
      /uses basic auth, which Kubernetes removed in 1.19/,
    ],
    [
      'a certificate without its key',
      `users: [{ name: u, user: { client-certificate-data: ${b64('C')} } }]`,
      /client certificate without its key/,
    ],
    ['an unknown user', `users: []`, /user 'u' of context 'c' not found/],
  ])('refuses %s with a ConfigurationError', (_name, users, message) => {
    const d = dir({
      config: `current-context: c
clusters: [{ name: k, cluster: { server: 'https://k.example' } }]
contexts: [{ name: c, context: { cluster: k, user: u } }]
${users}
`,
    })
    expect(() => loadKubeconfig(path.join(d, 'config'))).toThrow(ConfigurationError)
    expect(() => loadKubeconfig(path.join(d, 'config'))).toThrow(message)
  })

  it.each([
    ['no current-context', 'clusters: []', /no current-context set and no context given/],
    [
      'an unknown context',
      'current-context: nope\ncontexts: []',
      /context 'nope' not found \(contexts: none\)/,
    ],
    [
      'a proxy-url',
      `current-context: c
clusters: [{ name: k, cluster: { server: 'https://k.example', proxy-url: 'http://proxy:3128' } }]
contexts: [{ name: c, context: { cluster: k } }]`,
      /uses proxy-url, which is not supported/,
    ],
    ['a file that is not a kubeconfig', 'clusters: 3', /is not a valid kubeconfig/],
  ])('refuses %s', (_name, text, message) => {
    const d = dir({ config: text })
    expect(() => loadKubeconfig(path.join(d, 'config'))).toThrow(message)
  })

  it('says when the file does not exist', () => {
    expect(() => loadKubeconfig('/nonexistent/kubeconfig')).toThrow(
      'kubeconfig /nonexistent/kubeconfig does not exist',
    )
  })
})

describe('in-cluster and resolution order', () => {
  const sa = () => dir({ token: 'sa-token\n', 'ca.crt': 'CLUSTER CA', namespace: 'jobs\n' })

  it('reads the service account mount; IPv6 hosts get brackets', () => {
    const c = inClusterConnection(
      { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
      sa(),
    )
    expect(c.server).toBe('https://[fd00::1]:443')
    expect(c.namespace).toBe('jobs')
    expect(c.tls).toEqual({ ca: 'CLUSTER CA' })
    expect(c.authorization()).toBe('Bearer sa-token')
  })

  it('prefers api_server, then kubeconfig, then KUBECONFIG, then in-cluster', () => {
    const kc = dir({ config: BASE })
    const env = {
      KUBECONFIG: path.join(kc, 'config'),
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      TOKEN: 't0k',
    }
    const serviceAccountDir = sa()
    expect(
      resolveKubeConnection({ env, apiServer: 'http://127.0.0.1:8001/', tokenEnv: 'TOKEN' }),
    ).toMatchObject({
      server: 'http://127.0.0.1:8001',
      source: 'api_server http://127.0.0.1:8001/',
    })
    expect(resolveKubeConnection({ env, serviceAccountDir }).server).toBe(
      'https://dev.example:6443',
    )
    const { KUBECONFIG: _, ...inCluster } = env
    expect(resolveKubeConnection({ env: inCluster, serviceAccountDir }).server).toBe(
      'https://10.0.0.1:443',
    )
    const withToken = resolveKubeConnection({ env, tokenEnv: 'TOKEN', serviceAccountDir })
    expect(withToken.authorization()).toBe('Bearer t0k')
  })

  it('falls back to ~/.kube/config, and says what to set when nothing is found', () => {
    const home = dir({})
    mkdirp(path.join(home, '.kube'))
    expect(() => resolveKubeConnection({ env: { HOME: home } })).toThrow(
      'kubernetes target: no credentials found. Set kubeconfig (or KUBECONFIG), run inside a cluster, or give api_server with token_env.',
    )
    writeFileSync(path.join(home, '.kube', 'config'), BASE)
    expect(resolveKubeConnection({ env: { HOME: home } }).namespace).toBe('training')
    expect(() => resolveKubeConnection({ env: { HOME: home }, tokenEnv: 'UNSET' })).toThrow(
      'environment variable UNSET (token_env) is not set',
    )
  })
})

function mkdirp(d: string): void {
  mkdirSync(d, { recursive: true })
}
