import type { ChatopsGitHub, PullFacts, RoleLevel } from '../../../src/chatops/port.js'

export const HEAD = '0123456789abcdef0123456789abcdef01234567'

/** A plain in-memory ChatopsGitHub that records every call, with knobs for each answer. */
export function fakeGitHub(
  options: {
    role?: RoleLevel | Error
    pull?: Partial<PullFacts> | Error
    suites?: string[] | Error
    dispatchError?: Error
    runUrl?: string
  } = {},
) {
  const calls = {
    reactions: [] as string[],
    replies: [] as { pr: number; key: string; body: string }[],
    checkRuns: [] as Parameters<ChatopsGitHub['createCheckRun']>[0][],
    checkUpdates: [] as { id: number; update: Parameters<ChatopsGitHub['updateCheckRun']>[1] }[],
    repositoryDispatches: [] as { eventType: string; clientPayload: Record<string, unknown> }[],
    workflowDispatches: [] as { workflow: string; ref: string; inputs: Record<string, string> }[],
    permissionLookups: [] as string[],
  }
  const answer = <T>(value: T | Error): Promise<T> =>
    value instanceof Error ? Promise.reject(value) : Promise.resolve(value)
  const github = {
    permissionOf: (username: string) => {
      calls.permissionLookups.push(username)
      return answer(options.role ?? 'admin')
    },
    pull: (number: number) =>
      answer(
        options.pull instanceof Error
          ? options.pull
          : {
              number,
              state: 'open' as const,
              merged: false,
              headSha: HEAD,
              headRepo: 'o/r',
              baseRepo: 'o/r',
              ...options.pull,
            },
      ),
    checkSuiteTimes: () => answer(options.suites ?? ['2026-01-01T00:00:00Z']),
    react: (_target, content) => {
      calls.reactions.push(content)
      return Promise.resolve()
    },
    reply: (pr, key, body) => {
      calls.replies.push({ pr, key, body })
      return Promise.resolve({ url: `https://github.com/o/r/pull/${pr}#reply` })
    },
    createCheckRun: (request) => {
      calls.checkRuns.push(request)
      return Promise.resolve({ id: 99 })
    },
    updateCheckRun: (id, update) => {
      calls.checkUpdates.push({ id, update })
      return Promise.resolve()
    },
    repositoryDispatch: (eventType, clientPayload) => {
      if (options.dispatchError) return Promise.reject(options.dispatchError)
      calls.repositoryDispatches.push({ eventType, clientPayload })
      return Promise.resolve()
    },
    workflowDispatch: (workflow, ref, inputs) => {
      if (options.dispatchError) return Promise.reject(options.dispatchError)
      calls.workflowDispatches.push({ workflow, ref, inputs })
      return Promise.resolve(options.runUrl ? { runId: 1, htmlUrl: options.runUrl } : {})
    },
  } satisfies ChatopsGitHub
  return { github, calls }
}
