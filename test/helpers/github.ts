import Bottleneck from 'bottleneck'
import { memoryLogger } from '../../src/core/logger.js'
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js'
import { DEFAULT_TOKEN, type GitHubDouble } from '../doubles/github/server.js'

/**
 * The production client pointed at a GitHub double, with back-off scaled to milliseconds and the
 * throttling plugin's write queues without their 1 s / 3 s spacing, so tests stay fast.
 */
export function doubleClient(
  double: Pick<GitHubDouble, 'url'>,
  options: { token?: string; logger?: ReturnType<typeof memoryLogger> } = {},
): GitHubClient {
  const id = `test-${Math.random().toString(16).slice(2)}`
  const group = () => new Bottleneck.Group({ id, maxConcurrent: 10 })
  return createGitHubClient(
    { GITHUB_TOKEN: options.token ?? DEFAULT_TOKEN, GITHUB_API_URL: double.url },
    options.logger ?? memoryLogger(),
    {
      retryAfterBaseMs: 1,
      throttleGroups: { write: group(), notifications: group(), global: group() },
    },
  )
}

/** Environment that points a bundled action or CLI at the double. */
export function doubleEnv(
  double: Pick<GitHubDouble, 'url'>,
  token = DEFAULT_TOKEN,
): Record<string, string> {
  return {
    GITHUB_TOKEN: token,
    GITHUB_API_URL: double.url,
    GITHUB_GRAPHQL_URL: `${double.url}/graphql`,
  }
}
