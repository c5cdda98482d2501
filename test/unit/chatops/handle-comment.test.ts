import { describe, expect, it } from 'vitest'
import { EMPTY_CATALOG, type CommandCatalog } from '../../../src/chatops/command-specs.js'
import { handleComment } from '../../../src/chatops/handle-comment.js'
import type { CommentTrigger } from '../../../src/chatops/trigger.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { fakeGitHub, HEAD } from './fake-github.js'

function trigger(body: string, overrides: Partial<CommentTrigger> = {}): CommentTrigger {
  return {
    source: 'issue_comment',
    commentId: 42,
    body,
    createdAt: '2026-01-01T00:00:10Z',
    author: 'alice',
    pr: 7,
    repo: { owner: 'o', name: 'r', fullName: 'o/r', defaultBranch: 'main' },
    ...overrides,
  }
}

async function run(
  body: string,
  fake = fakeGitHub(),
  catalog: CommandCatalog = EMPTY_CATALOG,
  t: Partial<CommentTrigger> = {},
) {
  const outcome = await handleComment(
    { github: fake.github, logger: memoryLogger(), serverUrl: 'https://github.com' },
    trigger(body, t),
    catalog,
  )
  return { outcome, calls: fake.calls }
}

const dispatches = (calls: ReturnType<typeof fakeGitHub>['calls']) =>
  calls.repositoryDispatches.length + calls.workflowDispatches.length

describe('handleComment: the happy path', () => {
  it("dispatches an admin's /eval with no config as one repository_dispatch pinned to the head", async () => {
    const { outcome, calls } = await run('/eval')
    expect(outcome).toMatchObject({ status: 'dispatched', command: 'eval', sha: HEAD, exitCode: 0 })
    expect(calls.repositoryDispatches).toEqual([
      {
        eventType: 'llmops-eval',
        clientPayload: {
          command: 'eval',
          args: {},
          pr: 7,
          sha: HEAD,
          comment_id: 42,
          actor: 'alice',
          command_id: 'llmops-eval-pr7-c42',
          check_run_id: 99,
        },
      },
    ])
    expect(calls.reactions).toEqual(['eyes', 'rocket'])
    expect(calls.checkRuns).toEqual([
      expect.objectContaining({
        name: 'llmops/eval',
        headSha: HEAD,
        status: 'queued',
        externalId: 'llmops-eval-pr7-c42',
      }),
    ])
    expect(calls.replies).toHaveLength(1)
    expect(calls.replies[0]!.key).toBe('eval')
    expect(calls.replies[0]!.body).toContain(`\`${HEAD}\``)
    expect(calls.replies[0]!.body).toContain(
      'https://github.com/o/r/actions?query=event%3Arepository_dispatch',
    )
  })

  it('uses workflow_dispatch with string inputs when a workflow is configured, and links the run', async () => {
    const catalog: CommandCatalog = {
      ...EMPTY_CATALOG,
      commands: { deploy: { workflow: 'deploy.yml', environments: ['staging'] } },
      environments: ['staging'],
    }
    const fake = fakeGitHub({ role: 'maintain', runUrl: 'https://github.com/o/r/actions/runs/1' })
    const { outcome, calls } = await run('/deploy staging', fake, catalog)
    expect(outcome.status).toBe('dispatched')
    expect(calls.workflowDispatches).toEqual([
      {
        workflow: 'deploy.yml',
        ref: 'main',
        inputs: {
          command: 'deploy',
          pr: '7',
          sha: HEAD,
          comment_id: '42',
          actor: 'alice',
          command_id: 'llmops-deploy-pr7-c42',
          environment: 'staging',
          check_run_id: '99',
        },
      },
    ])
    expect(calls.checkRuns[0]!.name).toBe('llmops/deploy (staging)')
    expect(calls.checkUpdates).toEqual([
      { id: 99, update: { detailsUrl: 'https://github.com/o/r/actions/runs/1' } },
    ])
    expect(calls.replies[0]!.body).toContain('https://github.com/o/r/actions/runs/1')
  })

  it('answers /help to anyone without a permission lookup', async () => {
    const fake = fakeGitHub({ role: 'none' })
    const catalog: CommandCatalog = { ...EMPTY_CATALOG, suites: ['qa'], environments: ['staging'] }
    const { outcome, calls } = await run('/help', fake, catalog)
    expect(outcome).toMatchObject({ status: 'replied', command: 'help' })
    expect(calls.permissionLookups).toEqual([])
    expect(calls.replies[0]!.body).toContain('`qa`')
    expect(calls.replies[0]!.body).toContain('maintain or higher')
    expect(dispatches(calls)).toBe(0)
  })

  it('ignores a comment without a command: no reaction, no reply', async () => {
    const { outcome, calls } = await run('LGTM, ship it')
    expect(outcome.status).toBe('ignored')
    expect(calls.reactions).toEqual([])
    expect(calls.replies).toEqual([])
  })
})

describe('handleComment: refusals dispatch nothing and say why', () => {
  it.each([
    ['read', '/eval', 'needs the write role'],
    ['triage', '/eval', 'your role is triage'],
    ['none', '/benchmark', 'your role is no access'],
    ['write', '/finetune', undefined],
  ] as const)('a %s user asking %s', async (role, body, reason) => {
    const { outcome, calls } = await run(body, fakeGitHub({ role }))
    if (reason === undefined) {
      expect(outcome.status).toBe('dispatched')
      return
    }
    expect(outcome.status).toBe('rejected')
    expect(dispatches(calls)).toBe(0)
    expect(calls.reactions).toEqual(['eyes', 'confused'])
    expect(calls.replies[0]!.body).toContain(reason)
    expect(calls.replies[0]!.key).toBe(`${body.slice(1)}-refused`)
  })

  it('a write user asking /deploy production is refused (maintain needed)', async () => {
    const catalog: CommandCatalog = { ...EMPTY_CATALOG, environments: ['staging', 'production'] }
    const { outcome, calls } = await run(
      '/deploy production',
      fakeGitHub({ role: 'write' }),
      catalog,
    )
    expect(outcome.status).toBe('rejected')
    expect(dispatches(calls)).toBe(0)
    expect(calls.replies[0]!.body).toContain('needs the maintain role')
  })

  it('an environment outside the allowlist gets the list of allowed ones', async () => {
    const catalog: CommandCatalog = { ...EMPTY_CATALOG, environments: ['staging'] }
    const { outcome, calls } = await run(
      '/deploy production',
      fakeGitHub({ role: 'admin' }),
      catalog,
    )
    expect(outcome.reason).toBe('environment not allowed')
    expect(calls.replies[0]!.body).toContain('Allowed environments: `staging`')
    expect(dispatches(calls)).toBe(0)
  })

  it('with no config no environment is allowed', async () => {
    const { outcome, calls } = await run('/deploy staging', fakeGitHub({ role: 'admin' }))
    expect(outcome.status).toBe('rejected')
    expect(calls.replies[0]!.body).toContain('_none configured_')
  })

  it('a failed permission lookup denies, says why and exits 3', async () => {
    const { outcome, calls } = await run('/eval', fakeGitHub({ role: new Error('HTTP 502') }))
    expect(outcome).toMatchObject({ status: 'rejected', exitCode: 3 })
    expect(calls.replies[0]!.body).toContain('the permission check failed \\(HTTP 502\\)')
    expect(dispatches(calls)).toBe(0)
  })

  it('a push after the comment is rejected', async () => {
    const fake = fakeGitHub({ suites: ['2026-01-01T00:00:30Z'] })
    const { outcome, calls } = await run('/eval', fake)
    expect(outcome.reason).toContain('new commits were pushed after your comment')
    expect(dispatches(calls)).toBe(0)
    expect(calls.replies[0]!.body).toContain(`Current head of the pull request: \`${HEAD}\``)
  })

  it('a fork pull request without sha= is rejected, and accepted with the head sha', async () => {
    const fork = { headRepo: 'mallory/r' }
    const refused = await run('/eval', fakeGitHub({ pull: fork }))
    expect(refused.outcome.reason).toContain('comes from a fork')
    expect(dispatches(refused.calls)).toBe(0)
    const accepted = await run(`/eval sha=${HEAD}`, fakeGitHub({ pull: fork }))
    expect(accepted.outcome).toMatchObject({ status: 'dispatched', sha: HEAD })
  })

  it.each([
    ['two commands', '/eval\n/deploy production', '2 commands in one comment'],
    ['an unknown command', '/evalx', 'unknown command'],
    ['a malformed command', '/eval suite=$(id)', 'malformed /eval'],
    ['backticks', '/eval suite=`id`', 'malformed /eval'],
    ['an expression', '/eval suite=${{ secrets.GITHUB_TOKEN }}', 'malformed /eval'],
  ])('%s', async (_label, body, reason) => {
    const { outcome, calls } = await run(body)
    expect(outcome).toMatchObject({ status: 'rejected', reason })
    expect(dispatches(calls)).toBe(0)
    expect(calls.permissionLookups).toEqual([])
    expect(calls.reactions).toEqual(['eyes', 'confused'])
  })

  it('shows validated values in code spans without escape backslashes', async () => {
    const { calls } = await run('/eval suite=support-qa provider=cand.v2')
    expect(calls.replies[0]!.body).toContain('`/eval suite=support-qa provider=cand.v2`')
  })

  it('suggests the closest command for a typo', async () => {
    const { calls } = await run('/benchmrk')
    expect(calls.replies[0]!.body).toContain('Did you mean `/benchmark`?')
  })

  it('never echoes raw user text: no mention, no HTML, no marker', async () => {
    const { calls } = await run('/eval suite=<!--llmops:v1--> provider=@octocat')
    expect(calls.replies).toHaveLength(1)
    expect(calls.replies[0]!.body).not.toMatch(/@octocat|<!--|llmops:v1/)
    const deploy = await run('/deploy @octocat')
    expect(deploy.calls.replies[0]!.body).not.toContain('@octocat')
  })

  it('a failed dispatch closes the check run, replies and exits 3', async () => {
    const { outcome, calls } = await run(
      '/eval',
      fakeGitHub({ dispatchError: new Error('HTTP 422') }),
    )
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 3 })
    expect(calls.checkUpdates).toEqual([
      { id: 99, update: expect.objectContaining({ conclusion: 'failure' }) as unknown },
    ])
    expect(calls.reactions).toEqual(['eyes', 'confused'])
  })
})
