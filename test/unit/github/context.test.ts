import { describe, expect, it } from 'vitest'
import { readRunContext } from '../../../src/github/context.js'
import { ConfigurationError } from '../../../src/errors.js'
import {
  issueCommentCreated,
  pullRequestEvent,
  pushEvent,
  repositoryDispatchEvent,
  workflowDispatchEvent,
  workflowRunEvent,
} from '../../helpers/webhooks.js'

const SHA = 'a'.repeat(40)

function context(env: Record<string, string>, payload: unknown) {
  return readRunContext({ GITHUB_EVENT_PATH: '/event.json', ...env }, (path) => {
    expect(path).toBe('/event.json')
    return JSON.stringify(payload)
  })
}

describe('readRunContext', () => {
  it('reads a pull_request run: repo, run URL and the PR head', () => {
    const event = pullRequestEvent({ number: 42, headSha: SHA, baseSha: 'b'.repeat(40) })
    const ctx = context(
      {
        GITHUB_REPOSITORY: 'acme/models',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_SHA: 'c'.repeat(40),
        GITHUB_REF: 'refs/pull/42/merge',
        GITHUB_RUN_ID: '99',
        GITHUB_ACTOR: 'mona',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: 'http://127.0.0.1:1',
      },
      event,
    )
    expect(ctx.repo).toEqual({ owner: 'acme', repo: 'models' })
    expect(ctx.runUrl).toBe('https://github.com/acme/models/actions/runs/99')
    expect(ctx.apiUrl).toBe('http://127.0.0.1:1')
    expect(ctx.graphqlUrl).toBe('http://127.0.0.1:1/graphql')
    expect(ctx.pullRequest).toEqual({
      number: 42,
      headSha: SHA,
      baseSha: 'b'.repeat(40),
      baseRef: event.pull_request.base.ref,
      fork: false,
    })
  })

  it('marks fork pull requests', () => {
    const ctx = context(
      { GITHUB_REPOSITORY: 'acme/models', GITHUB_EVENT_NAME: 'pull_request' },
      pullRequestEvent({ fork: true }),
    )
    expect(ctx.pullRequest?.fork).toBe(true)
  })

  it('takes only the PR number from an issue_comment on a pull request', () => {
    const ctx = context(
      { GITHUB_REPOSITORY: 'acme/models', GITHUB_EVENT_NAME: 'issue_comment' },
      issueCommentCreated({ number: 7 }),
    )
    expect(ctx.pullRequest).toEqual({ number: 7 })
    const onIssue = context(
      { GITHUB_REPOSITORY: 'acme/models', GITHUB_EVENT_NAME: 'issue_comment' },
      issueCommentCreated({ isPullRequest: false }),
    )
    expect(onIssue.pullRequest).toBeUndefined()
  })

  it('treats empty variables as unset and needs GITHUB_REPOSITORY', () => {
    expect(() => readRunContext({ GITHUB_REPOSITORY: '' })).toThrow(ConfigurationError)
    expect(() => readRunContext({ GITHUB_REPOSITORY: 'not a repo' })).toThrow(
      "GITHUB_REPOSITORY must look like 'owner/name'.",
    )
    const ctx = readRunContext({ GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '' })
    expect(ctx.runId).toBeUndefined()
    expect(ctx.payload).toEqual({})
  })

  it('reports an unreadable event file as a configuration error', () => {
    expect(() =>
      readRunContext({ GITHUB_REPOSITORY: 'a/b', GITHUB_EVENT_PATH: '/x' }, () => '{oops'),
    ).toThrow(/GITHUB_EVENT_PATH \/x/)
  })
})

describe('webhook builders parse with the production schemas', () => {
  it('builds issue_comment variants', () => {
    const e = issueCommentCreated({ body: '/eval suite=qa', user: { login: 'mona' }, number: 3 })
    expect(e.comment.body).toBe('/eval suite=qa')
    expect(e.comment.user?.login).toBe('mona')
    expect(e.issue.pull_request).toBeTruthy()
    expect(issueCommentCreated({ action: 'edited' }).action).toBe('edited')
    expect(issueCommentCreated({ user: { login: 'dependabot[bot]' } }).comment.user?.type).toBe(
      'Bot',
    )
  })

  it('builds the other events', () => {
    expect(workflowRunEvent({ headSha: SHA }).workflow_run.head_sha).toBe(SHA)
    expect(pushEvent({ ref: 'refs/heads/main' }).ref).toBe('refs/heads/main')
    expect(repositoryDispatchEvent({ clientPayload: { command: 'eval' } }).client_payload).toEqual({
      command: 'eval',
    })
    expect(workflowDispatchEvent({ inputs: { sha: SHA } }).inputs).toEqual({ sha: SHA })
  })
})
