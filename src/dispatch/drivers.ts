import { createHash } from 'node:crypto'
import { ConfigurationError, UsageError } from '../errors.js'
import type { JobTarget } from './config-schema.js'
import type { JobDriver } from './job.js'
import { kubernetesTargetDriver } from './kubernetes-target.js'
import { rayDriver, raySubmissionId } from './ray.js'
import { webhookDriver } from './webhook.js'
import { workflowDriver, type WorkflowPort } from './workflow.js'

/** What identifies one dispatch: the same ids give the same job id, so retries never start a second job. */
export interface DispatchIds {
  repo: string
  sha: string
  configHash: string
  /** `finetune` or `deploy-<environment>`. */
  kind: string
}

type Env = Readonly<Record<string, string | undefined>>

/**
 * Builds the driver for a configured (or flag-given) target. User values (`extraEnv`) travel as
 * environment variables of the job (Ray `runtime_env.env_vars`, the webhook's JSON body), never
 * inside a shell command.
 */
export function driverFor(
  target: JobTarget,
  ids: DispatchIds,
  env: Env,
  extraEnv: Record<string, string>,
  deps: { workflows?: () => WorkflowPort } = {},
): JobDriver {
  const jobId = raySubmissionId(
    ids.repo,
    ids.sha,
    createHash('sha256').update(`${ids.kind}:${ids.configHash}`).digest('hex'),
  )
  const jobEnv = {
    ...extraEnv,
    LLMOPS_SHA: ids.sha,
    LLMOPS_REPOSITORY: ids.repo,
    LLMOPS_JOB_KIND: ids.kind,
  }
  switch (target.target) {
    case 'ray': {
      const token = target.token_env ? env[target.token_env] : env.RAY_AUTH_TOKEN
      return rayDriver(
        target.address,
        {
          entrypoint: target.entrypoint,
          submissionId: jobId,
          envVars: { ...target.env, ...jobEnv },
          ...(target.working_dir ? { workingDir: target.working_dir } : {}),
          ...(target.num_gpus !== undefined ? { numGpus: target.num_gpus } : {}),
          metadata: {
            'llmops.repository': ids.repo,
            'llmops.sha': ids.sha,
            'llmops.kind': ids.kind,
          },
        },
        token ? { token } : {},
      )
    }
    case 'webhook': {
      const secret = env[target.secret_env]
      if (!secret)
        throw new ConfigurationError(
          `webhook target: environment variable ${target.secret_env} (secret_env) is not set`,
        )
      return webhookDriver({
        url: target.url,
        secret,
        ...(target.status_url ? { statusUrl: target.status_url } : {}),
        payload: {
          idempotency_key: jobId,
          kind: ids.kind,
          repository: ids.repo,
          sha: ids.sha,
          env: jobEnv,
        },
      })
    }
    case 'workflow': {
      if (!deps.workflows)
        throw new UsageError(
          'the workflow target needs a GitHub token (GITHUB_TOKEN) and repository',
        )
      const inputs: Record<string, string> = { ...target.inputs, sha: ids.sha }
      return workflowDriver(deps.workflows(), {
        workflow: target.workflow,
        ref: target.ref ?? env.GITHUB_REF_NAME ?? 'main',
        inputs,
      })
    }
    case 'kubernetes':
      return kubernetesTargetDriver(target, ids, env, jobEnv)
  }
}
