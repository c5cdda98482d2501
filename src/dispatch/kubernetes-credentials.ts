import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { ConfigurationError } from '../errors.js'

/** Where and how to reach one Kubernetes API server. */
export interface KubeConnection {
  /** Base URL without a trailing slash, e.g. `https://10.0.0.1:443`. */
  server: string
  /** The namespace of the kubeconfig context or of the in-cluster service account. */
  namespace?: string
  /** The `Authorization` header for the next request; token files are re-read, as they rotate. */
  authorization(): string | undefined
  /** PEM text. */
  tls: {
    ca?: string
    cert?: string
    key?: string
    insecureSkipVerify?: boolean
    serverName?: string
  }
  /** Where the credentials came from, for error messages. */
  source: string
}

type Env = Readonly<Record<string, string | undefined>>

/** The service account mount of every pod (token, ca.crt, namespace). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

const clusterSchema = z
  .object({
    server: z.string(),
    'certificate-authority': z.string().optional(),
    'certificate-authority-data': z.string().optional(),
    'insecure-skip-tls-verify': z.boolean().optional(),
    'tls-server-name': z.string().optional(),
    'proxy-url': z.string().optional(),
  })
  .loose()
const contextSchema = z
  .object({ cluster: z.string(), user: z.string().optional(), namespace: z.string().optional() })
  .loose()
const userSchema = z
  .object({
    token: z.string().optional(),
    tokenFile: z.string().optional(),
    'client-certificate': z.string().optional(),
    'client-certificate-data': z.string().optional(),
    'client-key': z.string().optional(),
    'client-key-data': z.string().optional(),
    username: z.string().optional(),
    exec: z.unknown().optional(),
    'auth-provider': z.unknown().optional(),
  })
  .loose()

const kubeconfigSchema = z
  .object({
    'current-context': z.string().optional(),
    clusters: z.array(z.object({ name: z.string(), cluster: clusterSchema }).loose()).nullish(),
    contexts: z.array(z.object({ name: z.string(), context: contextSchema }).loose()).nullish(),
    users: z.array(z.object({ name: z.string(), user: userSchema.nullish() }).loose()).nullish(),
  })
  .loose()
type Kubeconfig = z.infer<typeof kubeconfigSchema>
type Entry<K extends 'clusters' | 'contexts' | 'users'> = NonNullable<Kubeconfig[K]>[number] & {
  dir: string
}

const b64 = (text: string) => Buffer.from(text, 'base64').toString('utf8')

function readFile(file: string, what: string, where: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigurationError(`${where}: cannot read ${what} ${file}: ${String(error)}`)
  }
}

/**
 * Loads a kubeconfig: one file or a `KUBECONFIG`-style list (`:`-separated), merged the way kubectl
 * merges them (the first file that names a cluster, context, user or current-context wins; relative
 * file paths resolve against the file that holds them). Exec plugins and auth providers are refused
 * with a ConfigurationError, as they would run programs.
 */
export function loadKubeconfig(files: string, contextName?: string): KubeConnection {
  const list = files.split(path.delimiter).filter(Boolean)
  const clusters = new Map<string, Entry<'clusters'>>()
  const contexts = new Map<string, Entry<'contexts'>>()
  const users = new Map<string, Entry<'users'>>()
  let current: string | undefined
  for (const file of list) {
    if (!existsSync(file)) {
      if (list.length === 1) throw new ConfigurationError(`kubeconfig ${file} does not exist`)
      continue
    }
    const parsed = kubeconfigSchema.safeParse(parseYaml(readFile(file, 'kubeconfig', file)) ?? {})
    if (!parsed.success)
      throw new ConfigurationError(
        `kubeconfig ${file} is not a valid kubeconfig: ${z.prettifyError(parsed.error)}`,
      )
    const dir = path.dirname(path.resolve(file))
    current ??= parsed.data['current-context'] || undefined
    for (const c of parsed.data.clusters ?? [])
      if (!clusters.has(c.name)) clusters.set(c.name, { ...c, dir })
    for (const c of parsed.data.contexts ?? [])
      if (!contexts.has(c.name)) contexts.set(c.name, { ...c, dir })
    for (const u of parsed.data.users ?? [])
      if (!users.has(u.name)) users.set(u.name, { ...u, dir })
  }
  const where = `kubeconfig ${list.join(path.delimiter)}`
  const ctxName = contextName ?? current
  if (!ctxName)
    throw new ConfigurationError(`${where}: no current-context set and no context given`)
  const context = contexts.get(ctxName)?.context
  if (!context)
    throw new ConfigurationError(
      `${where}: context '${ctxName}' not found (contexts: ${[...contexts.keys()].join(', ') || 'none'})`,
    )
  const clusterEntry = clusters.get(context.cluster)
  const cluster = clusterEntry?.cluster
  if (!clusterEntry || !cluster)
    throw new ConfigurationError(
      `${where}: cluster '${context.cluster}' of context '${ctxName}' not found`,
    )
  if (cluster['proxy-url'])
    throw new ConfigurationError(
      `${where}: cluster '${context.cluster}' uses proxy-url, which is not supported`,
    )
  const rel = (dir: string, file: string) => path.resolve(dir, file)
  const tls: KubeConnection['tls'] = {}
  if (cluster['certificate-authority-data']) tls.ca = b64(cluster['certificate-authority-data'])
  else if (cluster['certificate-authority'])
    tls.ca = readFile(
      rel(clusterEntry.dir, cluster['certificate-authority']),
      'certificate-authority',
      where,
    )
  if (cluster['insecure-skip-tls-verify']) tls.insecureSkipVerify = true
  if (cluster['tls-server-name']) tls.serverName = cluster['tls-server-name']

  let authorization: () => string | undefined = () => undefined
  const userEntry = context.user ? users.get(context.user) : undefined
  if (context.user && !userEntry)
    throw new ConfigurationError(
      `${where}: user '${context.user}' of context '${ctxName}' not found`,
    )
  const user = userEntry?.user
  if (userEntry && user) {
    const who = `${where}: user '${userEntry.name}'`
    if (user.exec !== undefined || user['auth-provider'] !== undefined)
      throw new ConfigurationError(
        `${who} authenticates with ${user.exec !== undefined ? 'an exec plugin, which is not supported: it would run a program' : 'an auth-provider, which is not supported (client-go removed them in 1.26)'}. Write a kubeconfig with a token (e.g. from \`kubectl create token\` or your cloud's OIDC login step) or a client certificate.`,
      )
    if (user.username !== undefined)
      throw new ConfigurationError(
        `${who} uses basic auth, which Kubernetes removed in 1.19; use a token`,
      )
    if (user.token) {
      const token = user.token
      authorization = () => `Bearer ${token}`
    } else if (user.tokenFile) {
      const file = rel(userEntry.dir, user.tokenFile)
      authorization = () => `Bearer ${readFile(file, 'tokenFile', who).trim()}`
      authorization()
    }
    if (user['client-certificate-data']) tls.cert = b64(user['client-certificate-data'])
    else if (user['client-certificate'])
      tls.cert = readFile(rel(userEntry.dir, user['client-certificate']), 'client-certificate', who)
    if (user['client-key-data']) tls.key = b64(user['client-key-data'])
    else if (user['client-key'])
      tls.key = readFile(rel(userEntry.dir, user['client-key']), 'client-key', who)
    if ((tls.cert === undefined) !== (tls.key === undefined))
      throw new ConfigurationError(
        `${who} has a client certificate without its key, or a key without its certificate`,
      )
  }
  return {
    server: cluster.server.replace(/\/+$/, ''),
    ...(context.namespace ? { namespace: context.namespace } : {}),
    authorization,
    tls,
    source: `${where} (context ${ctxName})`,
  }
}

/**
 * In-cluster credentials, the way client-go's `InClusterConfig` reads them: the API server from
 * `KUBERNETES_SERVICE_HOST`/`_PORT`, the service account's token (re-read on every request: the
 * kubelet rotates it), CA and namespace from the mounted service account directory.
 */
export function inClusterConnection(env: Env, dir = SERVICE_ACCOUNT_DIR): KubeConnection {
  const host = env.KUBERNETES_SERVICE_HOST
  const port = env.KUBERNETES_SERVICE_PORT
  if (!host || !port)
    throw new ConfigurationError('not in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set')
  const where = 'in-cluster service account'
  const tokenFile = path.join(dir, 'token')
  const read = () => `Bearer ${readFile(tokenFile, 'token', where).trim()}`
  read()
  const ns = path.join(dir, 'namespace')
  const caFile = path.join(dir, 'ca.crt')
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ...(existsSync(ns) ? { namespace: readFileSync(ns, 'utf8').trim() } : {}),
    authorization: read,
    tls: existsSync(caFile) ? { ca: readFileSync(caFile, 'utf8') } : {},
    source: `${where} (${dir})`,
  }
}

export interface KubeConnectionOptions {
  /** `api_server`: a URL used with `token_env` and no kubeconfig. */
  apiServer?: string
  /** Environment variable holding a bearer token; it replaces the kubeconfig user's credentials. */
  tokenEnv?: string
  kubeconfig?: string
  context?: string
  env: Env
  serviceAccountDir?: string
}

/**
 * Finds the credentials, in kubectl's order: an explicit API server, an explicit kubeconfig,
 * `KUBECONFIG`, the in-cluster service account, then `~/.kube/config`.
 */
export function resolveKubeConnection(options: KubeConnectionOptions): KubeConnection {
  const { env } = options
  let connection: KubeConnection
  const home = env.HOME ? path.join(env.HOME, '.kube', 'config') : undefined
  if (options.apiServer) {
    connection = {
      server: options.apiServer.replace(/\/+$/, ''),
      authorization: () => undefined,
      tls: {},
      source: `api_server ${options.apiServer}`,
    }
  } else if (options.kubeconfig) connection = loadKubeconfig(options.kubeconfig, options.context)
  else if (env.KUBECONFIG) connection = loadKubeconfig(env.KUBECONFIG, options.context)
  else if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT)
    connection = inClusterConnection(env, options.serviceAccountDir)
  else if (home && existsSync(home)) connection = loadKubeconfig(home, options.context)
  else
    throw new ConfigurationError(
      'kubernetes target: no credentials found. Set kubeconfig (or KUBECONFIG), run inside a cluster, or give api_server with token_env.',
    )
  if (options.tokenEnv) {
    const token = env[options.tokenEnv]
    if (!token)
      throw new ConfigurationError(
        `kubernetes target: environment variable ${options.tokenEnv} (token_env) is not set`,
      )
    connection = { ...connection, authorization: () => `Bearer ${token}` }
  }
  return connection
}
