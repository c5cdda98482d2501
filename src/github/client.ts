import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'
import type { Logger } from '../core/logger.js'
import { ConfigurationError } from '../errors.js'
import { VERSION } from '../version.js'

const RetryingOctokit = Octokit.plugin(retry, throttling)
export type GitHubClient = InstanceType<typeof RetryingOctokit>

/** Options mostly for tests: a fetch to use, and faster retries and write queues. */
export interface GitHubClientOptions {
  fetch?: typeof fetch
  /**
   * Milliseconds per "second" of back-off in both plugins (default 1000). Tests pass 1 so that
   * GitHub's waits (1 s, 4 s, 9 s; `retry-after`) keep their order but take milliseconds.
   */
  retryAfterBaseMs?: number
  /**
   * Replacement Bottleneck groups for plugin-throttling's queues (`write`, `notifications`, ...).
   * Production keeps the defaults (writes 1 s apart, comment-creating writes 3 s apart).
   */
  throttleGroups?: Record<string, unknown>
}

/**
 * The one Octokit client: retries 5xx and 429 (plugin-retry), and follows GitHub's rate-limit rules
 * (plugin-throttling): a primary limit is retried once when the wait is under a minute, a secondary
 * limit at most twice.
 */
export function createGitHubClient(
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
  options: GitHubClientOptions = {},
): GitHubClient {
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN
  if (!token)
    throw new ConfigurationError(
      'GITHUB_TOKEN is not set: pass github-token to the action or export GITHUB_TOKEN.',
    )
  const base =
    options.retryAfterBaseMs === undefined ? {} : { retryAfterBaseValue: options.retryAfterBaseMs }
  return new RetryingOctokit({
    auth: token,
    baseUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    userAgent: `llmops-action/${VERSION}`,
    request: options.fetch ? { fetch: options.fetch } : {},
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => logger.warn(m),
      // plugin-request-log reports every non-2xx response here, including expected ones (a 404 that
      // means "not set", a 409 the caller handles); callers report real failures themselves.
      error: (m: string) => logger.debug(m),
    },
    // 409 joins plugin-retry's defaults: GitHub's conflicts (failing required contexts, merge
    // conflicts) are deterministic, so retrying them only delays the answer by 14 s.
    retry: { ...base, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
    throttle: {
      ...base,
      ...options.throttleGroups,
      onRateLimit: (
        retryAfter: number,
        opts: { method: string; url: string },
        _o: unknown,
        retryCount: number,
      ) => {
        logger.warn(`GitHub rate limit on ${opts.method} ${opts.url}; retry after ${retryAfter}s`)
        return retryCount < 1 && retryAfter < 60
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        opts: { method: string; url: string },
        _o: unknown,
        retryCount: number,
      ) => {
        logger.warn(
          `GitHub secondary rate limit on ${opts.method} ${opts.url}; retry after ${retryAfter}s`,
        )
        return retryCount < 2
      },
    },
  })
}
