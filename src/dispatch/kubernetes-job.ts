import { createHash } from 'node:crypto'

/** Labels and annotations under this prefix identify what the project created. */
export const ANNOTATION_PREFIX = 'llmops-action'
/** The container that runs the job's command (`container=` of the log request). */
export const CONTAINER_NAME = 'job'

/** Everything the Job manifest is built from; values come from the configuration and the run. */
export interface KubernetesJobInput {
  name: string
  namespace: string
  image: string
  /** An argv array: it replaces the image's entrypoint and never passes through a shell. */
  command: string[]
  /** User values travel here, as environment variables. */
  env: Record<string, string>
  gpus: number
  gpuResource: string
  backoffLimit: number
  activeDeadlineSeconds: number
  ttlSecondsAfterFinished: number
  serviceAccount?: string
  nodeSelector?: Record<string, string>
  tolerations?: {
    key?: string | undefined
    operator?: string | undefined
    value?: string | undefined
    effect?: string | undefined
    toleration_seconds?: number | undefined
  }[]
  imagePullSecrets?: string[]
  resources?: {
    requests?: Record<string, string> | undefined
    limits?: Record<string, string> | undefined
  }
  repository: string
  sha: string
  kind: string
}

/**
 * The deterministic Job name: `llmops-<kind>-<hash10>`, a DNS-1123 label of at most 63 characters.
 * The hash covers repository, commit, kind and configuration, so a retried dispatch finds the Job
 * it already created (409 AlreadyExists) instead of starting a second one.
 */
export function kubernetesJobName(ids: {
  repo: string
  sha: string
  kind: string
  configHash: string
}): string {
  const hash = createHash('sha256')
    .update(`${ids.repo}\n${ids.sha}\n${ids.kind}\n${ids.configHash}`)
    .digest('hex')
    .slice(0, 10)
  const kind = ids.kind
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63 - 'llmops-'.length - 1 - hash.length)
    .replace(/^-+|-+$/g, '')
  return `llmops-${kind || 'job'}-${hash}`
}

/** A label value: at most 63 characters of `[A-Za-z0-9._-]`, alphanumeric at both ends. */
function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
}

/** The `batch/v1` Job for one dispatch (the body of `createNamespacedJob`). */
export function kubernetesJobManifest(input: KubernetesJobInput): Record<string, unknown> {
  const labels = {
    'app.kubernetes.io/managed-by': 'llmops-action',
    'app.kubernetes.io/component': labelValue(input.kind),
  }
  const annotations = {
    [`${ANNOTATION_PREFIX}/repository`]: input.repository,
    [`${ANNOTATION_PREFIX}/sha`]: input.sha,
    [`${ANNOTATION_PREFIX}/kind`]: input.kind,
  }
  const requests: Record<string, string> = { ...input.resources?.requests }
  const limits: Record<string, string> = { ...input.resources?.limits }
  // Extended resources cannot be overcommitted: the API server requires requests == limits.
  if (input.gpus > 0) {
    requests[input.gpuResource] = String(input.gpus)
    limits[input.gpuResource] = String(input.gpus)
  }
  const resources = {
    ...(Object.keys(requests).length ? { requests } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: input.name, namespace: input.namespace, labels, annotations },
    spec: {
      backoffLimit: input.backoffLimit,
      activeDeadlineSeconds: input.activeDeadlineSeconds,
      ttlSecondsAfterFinished: input.ttlSecondsAfterFinished,
      template: {
        metadata: { labels, annotations },
        spec: {
          restartPolicy: 'Never',
          ...(input.serviceAccount ? { serviceAccountName: input.serviceAccount } : {}),
          ...(input.nodeSelector ? { nodeSelector: input.nodeSelector } : {}),
          ...(input.tolerations?.length
            ? {
                tolerations: input.tolerations.map(({ toleration_seconds, ...t }) => ({
                  ...t,
                  ...(toleration_seconds !== undefined
                    ? { tolerationSeconds: toleration_seconds }
                    : {}),
                })),
              }
            : {}),
          ...(input.imagePullSecrets?.length
            ? { imagePullSecrets: input.imagePullSecrets.map((name) => ({ name })) }
            : {}),
          containers: [
            {
              name: CONTAINER_NAME,
              image: input.image,
              command: input.command,
              env: Object.entries(input.env).map(([name, value]) => ({ name, value })),
              ...(Object.keys(resources).length ? { resources } : {}),
            },
          ],
        },
      },
    },
  }
}
