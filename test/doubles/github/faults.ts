/** What a fault matcher sees of a request. */
export interface FaultTarget {
  method: string
  path: string
  /** `issues/create-comment`, `graphql`, or `null` for unknown paths. */
  operationId: string | null
}

/** An operation id (`checks/create`, `graphql`), a `METHOD /path` prefix, a RegExp on `METHOD /path`, or a predicate. */
export type FaultMatcher = string | RegExp | ((target: FaultTarget) => boolean)

/** One injected answer. Rate-limit flags add GitHub's headers and messages. */
export interface Fault {
  status: number
  /** 403 (or 429) with GitHub's secondary-rate-limit message. */
  secondaryRateLimit?: boolean
  /** Primary limit: `x-ratelimit-remaining: 0` and `x-ratelimit-reset` `resetInSeconds` ahead. */
  primaryRateLimit?: boolean
  resetInSeconds?: number
  /** Seconds for the `retry-after` header. */
  retryAfter?: number
  body?: unknown
  headers?: Record<string, string>
}

function matches(matcher: FaultMatcher, target: FaultTarget): boolean {
  if (typeof matcher === 'function') return matcher(target)
  const line = `${target.method} ${target.path}`
  if (matcher instanceof RegExp) return matcher.test(line)
  return matcher === target.operationId || line.startsWith(matcher)
}

/** Queues of injected answers: each matching request consumes the next fault of the first matching queue. */
export class Faults {
  private readonly queues: { matcher: FaultMatcher; faults: Fault[] }[] = []

  /** The next requests matching `matcher` get these answers, in order, before normal service resumes. */
  next(matcher: FaultMatcher, faults: Fault[]): void {
    this.queues.push({ matcher, faults: [...faults] })
  }

  clear(): void {
    this.queues.length = 0
  }

  /** Faults not yet served. */
  pending(): number {
    return this.queues.reduce((n, q) => n + q.faults.length, 0)
  }

  take(target: FaultTarget): Fault | undefined {
    const queue = this.queues.find((q) => q.faults.length > 0 && matches(q.matcher, target))
    return queue?.faults.shift()
  }
}

/** Status, headers and body GitHub sends for a fault. */
export function renderFault(
  fault: Fault,
  now: Date,
): { status: number; headers: Record<string, string>; body: unknown } {
  const headers: Record<string, string> = { ...fault.headers }
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter)
  let body = fault.body
  if (fault.secondaryRateLimit) {
    body ??= {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
      documentation_url:
        'https://docs.github.com/free-pro-team@latest/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: String(fault.status),
    }
  } else if (fault.primaryRateLimit) {
    headers['x-ratelimit-remaining'] = '0'
    headers['x-ratelimit-limit'] = '1000'
    headers['x-ratelimit-used'] = '1000'
    headers['x-ratelimit-reset'] = String(
      Math.ceil(now.getTime() / 1000) + (fault.resetInSeconds ?? 1),
    )
    body ??= {
      message:
        'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      status: String(fault.status),
    }
  } else if (fault.status === 429) {
    body ??= {
      message: 'Too Many Requests',
      documentation_url: 'https://docs.github.com/rest',
      status: '429',
    }
  } else if (fault.status >= 500) {
    body ??= { message: 'Server Error', status: String(fault.status) }
  } else {
    body ??= { message: `Injected fault ${fault.status}`, status: String(fault.status) }
  }
  return { status: fault.status, headers, body }
}
