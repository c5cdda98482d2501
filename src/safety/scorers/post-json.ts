import { getGlobalDispatcher, type Dispatcher } from 'undici'
import { InfrastructureError } from '../../errors.js'
import { ProviderError } from '../../providers/provider-error.js'
import { defaultRetryPolicy, systemClock, withRetry, type Clock } from '../../providers/retry.js'
import { readJson, send } from '../../providers/transport.js'

/** How a model-backed scorer reaches its endpoint: headers, timeout, retries, injectable transport. */
export interface EndpointOptions {
  headers?: Record<string, string>
  timeoutMs?: number
  maxRetries?: number
  dispatcher?: Dispatcher
  clock?: Clock
  random?: () => number
}

/**
 * POSTs JSON and returns the parsed body, retrying 429, 5xx, timeouts and connection failures with
 * the providers' backoff. Failing after retries is an InfrastructureError (exit 3).
 */
export async function postJson(
  url: string,
  body: unknown,
  options: EndpointOptions,
  signal?: AbortSignal,
): Promise<unknown> {
  const dispatcher = options.dispatcher ?? getGlobalDispatcher()
  try {
    return await withRetry(
      async () =>
        (
          await send(
            url,
            body,
            {
              headers: options.headers ?? {},
              timeoutMs: options.timeoutMs ?? 60_000,
              signal,
              dispatcher,
            },
            (res) => readJson(res, url),
          )
        ).body,
      {
        policy: { ...defaultRetryPolicy, maxRetries: options.maxRetries ?? 4 },
        clock: options.clock ?? systemClock,
        random: options.random ?? Math.random,
        signal,
      },
    )
  } catch (error) {
    if (error instanceof ProviderError)
      throw new InfrastructureError(`safety scorer: ${error.message}`, { cause: error })
    throw error
  }
}

/** A reply the scorer cannot read: reported as an error, never as "safe". */
export class MalformedReplyError extends InfrastructureError {
  constructor(scorer: string, detail: string) {
    super(`${scorer}: malformed reply (${detail}); refusing to read it as safe`)
    this.name = 'MalformedReplyError'
  }
}
