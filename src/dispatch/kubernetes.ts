import { Agent } from 'undici'
import { z } from 'zod'
import { ConfigurationError, InfrastructureError } from '../errors.js'
import { jsonHttp, type JsonHttp, type JsonHttpOptions } from './http.js'
import type { JobDriver } from './job.js'
import type { KubeConnection } from './kubernetes-credentials.js'
import { ANNOTATION_PREFIX, CONTAINER_NAME } from './kubernetes-job.js'
import { PodLogBuffer } from './kubernetes-logs.js'
import {
  jobSchema,
  jobState,
  kubeApiError,
  statusReason,
  type KubeJob,
} from './kubernetes-status.js'

const podList = z.object({
  items: z.array(
    z
      .object({
        metadata: z.object({ name: z.string(), creationTimestamp: z.string().optional() }).loose(),
        status: z.object({ phase: z.string().optional() }).loose().optional(),
      })
      .loose(),
  ),
})

/** Certificate errors: retrying cannot fix them, the configuration can. */
const TLS_TRUST =
  /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$/

function untrusted(error: unknown, service: string, source: string): Error | undefined {
  const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? '') as string
  if (!(error instanceof InfrastructureError) || !TLS_TRUST.test(code)) return undefined
  return new ConfigurationError(
    `${service}: the server's TLS certificate is not trusted (${code}) with the credentials from ${source}. Give the cluster's CA (kubeconfig certificate-authority or certificate-authority-data; in a pod, the service account's ca.crt), or set tls-server-name when the server is reached under another name.`,
  )
}

export interface KubernetesDriverOptions {
  /** Lines of each pod's log read per poll (`tailLines`). */
  tailLines?: number
  /** Overrides the HTTP client (tests); by default one is built from the connection's TLS. */
  http?: JsonHttp
  retries?: number
  clock?: JsonHttpOptions['clock']
}

/**
 * A JobDriver for one Kubernetes `batch/v1` Job (the manifest from `kubernetesJobManifest`):
 * create it (409 AlreadyExists → follow the existing one), read its status conditions, tail its
 * pods' logs, and delete it with `propagationPolicy: Background` so its pods go too.
 */
export function kubernetesDriver(
  connection: KubeConnection,
  manifest: { metadata: { name: string; namespace: string } } & Record<string, unknown>,
  options: KubernetesDriverOptions = {},
): JobDriver {
  const { name, namespace } = manifest.metadata
  const server = connection.server
  const where = { server, source: connection.source, namespace }
  const service = `Kubernetes API ${server}`
  const { tls } = connection
  const http =
    options.http ??
    jsonHttp({
      service,
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(server.startsWith('https:')
        ? {
            dispatcher: new Agent({
              connect: {
                ...(tls.ca ? { ca: tls.ca } : {}),
                ...(tls.cert ? { cert: tls.cert } : {}),
                ...(tls.key ? { key: tls.key } : {}),
                ...(tls.serverName ? { servername: tls.serverName } : {}),
                rejectUnauthorized: tls.insecureSkipVerify !== true,
              },
            }),
          }
        : {}),
    })
  const call = async <T = unknown>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    accept?: string,
  ) => {
    const auth = connection.authorization()
    try {
      return await http<T>(method, `${server}${path}`, body, {
        ...(auth ? { authorization: auth } : {}),
        ...(accept ? { accept } : {}),
      })
    } catch (error) {
      throw untrusted(error, service, connection.source) ?? error
    }
  }
  const ns = encodeURIComponent(namespace)
  const jobPath = (id: string) => `/apis/batch/v1/namespaces/${ns}/jobs/${encodeURIComponent(id)}`
  const tailLines = options.tailLines ?? 1000
  const logs = new Map<string, PodLogBuffer>()

  const readJob = async (id: string): Promise<KubeJob | undefined> => {
    const res = await call('GET', jobPath(id))
    if (res.status === 404) return undefined
    if (res.status !== 200) throw kubeApiError(res, `reading Job ${namespace}/${id}`, where)
    const parsed = jobSchema.safeParse(res.body)
    if (!parsed.success)
      throw new InfrastructureError(`${service}: unexpected Job ${id}: ${parsed.error.message}`)
    return parsed.data
  }

  const listPods = async (id: string) => {
    // `batch.kubernetes.io/job-name` since Kubernetes 1.27; `job-name` before (and still set).
    for (const label of ['batch.kubernetes.io/job-name', 'job-name']) {
      const selector = encodeURIComponent(`${label}=${id}`)
      const res = await call('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${selector}`)
      if (res.status !== 200) throw kubeApiError(res, `listing the pods of Job ${id}`, where)
      const parsed = podList.safeParse(res.body)
      if (!parsed.success)
        throw new InfrastructureError(`${service}: unexpected pod list: ${parsed.error.message}`)
      if (parsed.data.items.length > 0)
        return parsed.data.items.sort(
          (a, b) =>
            (a.metadata.creationTimestamp ?? '').localeCompare(
              b.metadata.creationTimestamp ?? '',
            ) || a.metadata.name.localeCompare(b.metadata.name),
        )
    }
    return []
  }

  return {
    target: 'kubernetes',
    async submit() {
      const res = await call(
        'POST',
        `/apis/batch/v1/namespaces/${ns}/jobs?fieldValidation=Strict`,
        manifest,
      )
      if ([200, 201, 202].includes(res.status)) return { id: name, resumed: false }
      if (res.status === 409 && statusReason(res.body) === 'AlreadyExists') {
        const existing = await readJob(name)
        if (existing) {
          const sha = existing.metadata.annotations?.[`${ANNOTATION_PREFIX}/sha`]
          const ours = (manifest.metadata as { annotations?: Record<string, string> })
            .annotations?.[`${ANNOTATION_PREFIX}/sha`]
          if (sha !== ours)
            throw new ConfigurationError(
              `${service}: a Job named ${namespace}/${name} exists that was not created for this commit (annotation ${ANNOTATION_PREFIX}/sha is '${sha ?? ''}'); delete it or change the configuration`,
            )
          return { id: name, resumed: true }
        }
      }
      if (res.status === 404 && statusReason(res.body) === 'NotFound')
        throw new ConfigurationError(
          `${service}: namespace '${namespace}' was not found (${String((res.body as { message?: string }).message ?? '')})`,
        )
      throw kubeApiError(res, `creating Job ${namespace}/${name}`, where)
    },
    async status(id) {
      const job = await readJob(id)
      if (!job)
        return {
          phase: 'stopped',
          status: 'Deleted',
          message: `Job ${namespace}/${id} no longer exists (deleted)`,
        }
      return jobState(job)
    },
    async logs(id) {
      let buffer = logs.get(id)
      if (!buffer) logs.set(id, (buffer = new PodLogBuffer()))
      for (const pod of await listPods(id)) {
        if (pod.status?.phase === 'Pending' || pod.status?.phase === undefined) continue
        const query = `container=${CONTAINER_NAME}&timestamps=true&tailLines=${tailLines}`
        const res = await call<string>(
          'GET',
          `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name)}/log?${query}`,
          undefined,
          'text/plain, */*',
        )
        // 400: the container is still waiting to start; 404: the pod went away meanwhile.
        if (res.status === 400 || res.status === 404) continue
        if (res.status !== 200)
          throw kubeApiError(res, `reading the log of pod ${pod.metadata.name}`, where)
        buffer.add(pod.metadata.name, typeof res.body === 'string' ? res.body : '', tailLines)
      }
      return buffer.value
    },
    async cancel(id) {
      const res = await call('DELETE', jobPath(id), {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: 'Background',
      })
      if ([200, 202, 404].includes(res.status)) return
      throw kubeApiError(res, `deleting Job ${namespace}/${id}`, where)
    },
  }
}
