import { z } from 'zod'
import { UsageError } from '../errors.js'
import { jobTargetSchema, type JobTarget } from './config-schema.js'
import type { JobDriver } from './job.js'
import { kubernetesDriver, type KubernetesDriverOptions } from './kubernetes.js'
import { resolveKubeConnection } from './kubernetes-credentials.js'
import { kubernetesJobManifest, kubernetesJobName } from './kubernetes-job.js'

type KubernetesTarget = Extract<JobTarget, { target: 'kubernetes' }>

/**
 * The driver for a configured `target: kubernetes`: credentials resolved (kubeconfig, in-cluster
 * or api_server + token_env), the namespace chosen (config, then the credentials' own, then
 * `default`), and the Job manifest built with the run's values as environment variables.
 */
export function kubernetesTargetDriver(
  target: KubernetesTarget,
  ids: { repo: string; sha: string; kind: string; configHash: string },
  env: Readonly<Record<string, string | undefined>>,
  jobEnv: Record<string, string>,
  options: KubernetesDriverOptions & { serviceAccountDir?: string } = {},
): JobDriver {
  const connection = resolveKubeConnection({
    env,
    ...(target.api_server ? { apiServer: target.api_server } : {}),
    ...(target.token_env ? { tokenEnv: target.token_env } : {}),
    ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}),
    ...(target.context ? { context: target.context } : {}),
    ...(options.serviceAccountDir ? { serviceAccountDir: options.serviceAccountDir } : {}),
  })
  const namespace = target.namespace ?? connection.namespace ?? 'default'
  const manifest = kubernetesJobManifest({
    name: kubernetesJobName(ids),
    namespace,
    image: target.image,
    command: target.command,
    env: { ...target.env, ...jobEnv },
    gpus: target.gpus,
    gpuResource: target.gpu_resource,
    backoffLimit: target.backoff_limit,
    activeDeadlineSeconds: target.timeout_s,
    ttlSecondsAfterFinished: target.ttl_s,
    ...(target.service_account ? { serviceAccount: target.service_account } : {}),
    ...(target.node_selector ? { nodeSelector: target.node_selector } : {}),
    ...(target.tolerations ? { tolerations: target.tolerations } : {}),
    ...(target.image_pull_secrets ? { imagePullSecrets: target.image_pull_secrets } : {}),
    ...(target.resources ? { resources: target.resources } : {}),
    repository: ids.repo,
    sha: ids.sha,
    kind: ids.kind,
  })
  return kubernetesDriver(
    connection,
    manifest as typeof manifest & { metadata: { name: string; namespace: string } },
    options,
  )
}

/** The flags of `llmops finetune --target kubernetes`. */
export interface KubernetesFlags {
  image?: string | undefined
  command?: string | undefined
  namespace?: string | undefined
  kubeconfig?: string | undefined
  context?: string | undefined
  apiServer?: string | undefined
  tokenEnv?: string | undefined
  gpus?: number | undefined
  timeoutS?: number | undefined
}

/**
 * A `target: kubernetes` from flags alone. `--command` is a JSON array (`'["python","train.py"]'`)
 * or words split on whitespace: an argv either way, never run through a shell.
 */
export function kubernetesTargetFromFlags(flags: KubernetesFlags): KubernetesTarget {
  if (!flags.image || !flags.command)
    throw new UsageError('--target kubernetes needs --image IMG and --command CMD')
  let command: unknown = flags.command.trim().split(/\s+/)
  if (flags.command.trim().startsWith('[')) {
    try {
      command = JSON.parse(flags.command)
    } catch {
      command = undefined
    }
  }
  const parsed = jobTargetSchema.safeParse({
    target: 'kubernetes',
    image: flags.image,
    command,
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.apiServer ? { api_server: flags.apiServer } : {}),
    ...(flags.tokenEnv ? { token_env: flags.tokenEnv } : {}),
    ...(flags.gpus !== undefined ? { gpus: flags.gpus } : {}),
    ...(flags.timeoutS !== undefined ? { timeout_s: flags.timeoutS } : {}),
  })
  if (!parsed.success || parsed.data.target !== 'kubernetes')
    throw new UsageError(
      `--target kubernetes: ${parsed.success ? 'unexpected target' : z.prettifyError(parsed.error).replaceAll('\n', ' ')} (--command is a JSON array of strings or words separated by spaces)`,
    )
  return parsed.data
}
