import type { Logger } from '../core/logger.js'
import { UsageError } from '../errors.js'
import type { DeploymentRecorder } from './deploy.js'

/** The GitHub Deployments recorder, over the adapters in src/github/deployments.ts. */
export function githubDeploymentRecorder(
  _env: Readonly<Record<string, string | undefined>>,
  _logger: Logger,
): Promise<DeploymentRecorder> {
  return Promise.reject(
    new UsageError(
      'GitHub Deployment records are not available yet in this version; use --no-github (issue #8)',
    ),
  )
}
