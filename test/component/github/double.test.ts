import { unzipSync, strFromU8 } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN, startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleClient } from '../../helpers/github.js'

let gh: GitHubDouble
beforeEach(async () => {
  gh = await startGitHubDouble({ tokens: { ghp_alice: { login: 'alice', id: 7, type: 'User' } } })
})
afterEach(async () => {
  await gh.close()
})

async function call(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = DEFAULT_TOKEN,
) {
  const res = await fetch(`${gh.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `token ${token}` } : {}),
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    redirect: 'manual',
  })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  }
}

describe('GitHub double: rejects what GitHub rejects', () => {
  it('answers an unknown path with 404 Not Found', async () => {
    const res = await call('GET', '/repos/o/r/not-an-endpoint')
    expect(res.status).toBe(404)
    expect(res.json).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    })
  })

  it('answers a wrong method on a known path with 404', async () => {
    expect((await call('PUT', '/repos/o/r/issues/1/comments', { body: 'x' })).status).toBe(404)
  })

  it('rejects a comment body of the wrong type with 422 Invalid request', async () => {
    const res = await call('POST', '/repos/o/r/issues/1/comments', { body: 123 })
    expect(res.status).toBe(422)
    expect(res.json?.message).toBe(
      "Invalid request.\n\nFor 'properties/body', 123 is not a string.",
    )
    expect(res.json?.documentation_url).toContain('docs.github.com/rest')
    expect(gh.state.comments).toHaveLength(0)
  })

  it('rejects a missing required field and an enum violation', async () => {
    const missing = await call('POST', '/repos/o/r/check-runs', { name: 'x' })
    expect(missing.status).toBe(422)
    expect(missing.json?.message).toBe('Invalid request.\n\n"head_sha" wasn\'t supplied.')
    const badEnum = await call('POST', '/repos/o/r/issues/comments/1/reactions', {
      content: 'thumbsup',
    })
    expect(badEnum.status).toBe(422)
    expect(String(badEnum.json?.message)).toContain(
      'For \'properties/content\', "thumbsup" is not one of',
    )
  })

  it('rejects a non-numeric id in the path as an unknown path', async () => {
    expect((await call('GET', '/repos/o/r/issues/comments/abc')).status).toBe(404)
  })

  it('answers 401 without a token and for an unknown token', async () => {
    const none = await call('GET', '/repos/o/r', undefined, null)
    expect(none.status).toBe(401)
    expect(none.json?.message).toBe('Requires authentication')
    const bad = await call('GET', '/repos/o/r', undefined, 'nope')
    expect(bad.json?.message).toBe('Bad credentials')
  })

  it('answers malformed JSON with 400', async () => {
    const res = await call('POST', '/repos/o/r/issues/1/comments', '{not json')
    expect(res.status).toBe(400)
    expect(res.json?.message).toBe('Problems parsing JSON')
  })

  it('rejects a comment body over 65,536 characters with Validation Failed', async () => {
    const res = await call('POST', '/repos/o/r/issues/1/comments', { body: 'x'.repeat(65_537) })
    expect(res.status).toBe(422)
    expect(res.json).toMatchObject({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'data',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
    })
    expect(
      (await call('POST', '/repos/o/r/issues/1/comments', { body: 'x'.repeat(65_536) })).status,
    ).toBe(201)
  })

  it('rejects check-run summaries over 65,535 characters and more than 50 annotations per request', async () => {
    const long = await call('POST', '/repos/o/r/check-runs', {
      name: 'c',
      head_sha: 'a'.repeat(40),
      output: { title: 't', summary: 's'.repeat(65_536) },
    })
    expect(long.status).toBe(422)
    expect(String(long.json?.message)).toContain(
      'Only 65535 characters are allowed; 65536 were supplied.',
    )
    const annotation = {
      path: 'a.jsonl',
      start_line: 1,
      end_line: 1,
      annotation_level: 'warning',
      message: 'm',
    }
    const many = await call('POST', '/repos/o/r/check-runs', {
      name: 'c',
      head_sha: 'a'.repeat(40),
      output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) },
    })
    expect(many.status).toBe(422)
    expect(gh.state.checkRuns).toHaveLength(0)
  })

  it('requires a conclusion when a check run update completes it', async () => {
    const created = await call('POST', '/repos/o/r/check-runs', {
      name: 'c',
      head_sha: 'a'.repeat(40),
    })
    const res = await call('PATCH', `/repos/o/r/check-runs/${String(created.json?.id)}`, {
      status: 'completed',
    })
    expect(res.status).toBe(422)
  })
})

describe('GitHub double: state', () => {
  it('pages 150 comments with Link headers, 100 at most per page', async () => {
    gh.state.addComments(150, { repo: 'o/r', issueNumber: 5 })
    const first = await call('GET', '/repos/o/r/issues/5/comments?per_page=100')
    expect((first.json as unknown as unknown[]).length).toBe(100)
    const link = first.headers.get('link') ?? ''
    expect(link).toMatch(/<[^>]+page=2[^>]*>; rel="next"/)
    expect(link).toMatch(/rel="last"/)
    const capped = await call('GET', '/repos/o/r/issues/5/comments?per_page=500')
    expect((capped.json as unknown as unknown[]).length).toBe(100)
    const octokit = doubleClient(gh)
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: 'o',
      repo: 'r',
      issue_number: 5,
      per_page: 100,
    })
    expect(all.map((c) => c.body)).toEqual(
      Array.from({ length: 150 }, (_, i) => `comment ${i + 1}`),
    )
    expect(gh.state.requestsFor('issues/list-comments').at(-1)?.query).toMatchObject({ page: '2' })
  })

  it('reacts 201 first and 200 when the reaction already exists', async () => {
    const [comment] = gh.state.addComments(1, { repo: 'o/r', issueNumber: 1 })
    const path = `/repos/o/r/issues/comments/${comment!.id}/reactions`
    expect((await call('POST', path, { content: 'eyes' })).status).toBe(201)
    expect((await call('POST', path, { content: 'eyes' })).status).toBe(200)
    expect(comment!.reactions).toHaveLength(1)
  })

  it('maps tokens to identities and minimizes comments over GraphQL', async () => {
    const octokit = doubleClient(gh)
    const viewer = await octokit.graphql<{ viewer: { login: string } }>(
      'query { viewer { login } }',
    )
    expect(viewer.viewer.login).toBe('github-actions[bot]')
    const alice = doubleClient(gh, { token: 'ghp_alice' })
    const { data } = await alice.rest.issues.createComment({
      owner: 'o',
      repo: 'r',
      issue_number: 2,
      body: 'hi',
    })
    expect(data.user?.login).toBe('alice')
    await octokit.graphql(
      'mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }',
      { id: data.node_id },
    )
    expect(gh.state.comments[0]?.minimizedReason).toBe('outdated')
    const nodes = await octokit.graphql<{ nodes: { isMinimized: boolean }[] }>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { id isMinimized } } }',
      { ids: [data.node_id] },
    )
    expect(nodes.nodes[0]?.isMinimized).toBe(true)
  })

  it('reports collaborator permissions with role_name and user.permissions', async () => {
    gh.state.setPermission('mia', 'maintain')
    const octokit = doubleClient(gh)
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: 'o',
      repo: 'r',
      username: 'mia',
    })
    expect(data.permission).toBe('write')
    expect(data.role_name).toBe('maintain')
    expect(data.user?.permissions).toMatchObject({
      admin: false,
      maintain: true,
      push: true,
      triage: true,
      pull: true,
    })
    const stranger = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: 'o',
      repo: 'r',
      username: 'eve',
    })
    expect(stranger.data.permission).toBe('read')
    gh.state.setRepo('o/private', { private: true })
    await expect(
      octokit.rest.repos.getCollaboratorPermissionLevel({
        owner: 'o',
        repo: 'private',
        username: 'eve',
      }),
    ).rejects.toMatchObject({ status: 404 })
  })

  it('answers deployments with 201, 202 when auto-merging a ref that is behind, and 409 on failing contexts', async () => {
    const sha = 'c'.repeat(40)
    const created = await call('POST', '/repos/o/r/deployments', {
      ref: sha,
      auto_merge: false,
      required_contexts: [],
      environment: 'staging',
    })
    expect(created.status).toBe(201)
    gh.state.setBehind('feature')
    gh.state.setRepo('o/r', { branches: { main: 'a'.repeat(40), feature: 'b'.repeat(40) } })
    expect((await call('POST', '/repos/o/r/deployments', { ref: 'feature' })).status).toBe(202)
    await call('POST', `/repos/o/r/statuses/${sha}`, { state: 'failure', context: 'ci' })
    const conflict = await call('POST', '/repos/o/r/deployments', { ref: sha, auto_merge: false })
    expect(conflict.status).toBe(409)
    expect(conflict.json?.message).toBe(`Conflict: Commit status checks failed for ${sha}.`)
    const status = await call(
      'POST',
      `/repos/o/r/deployments/${String(created.json?.id)}/statuses`,
      { state: 'success', description: 'd'.repeat(141) },
    )
    expect(status.status).toBe(422)
  })

  it('records workflow and repository dispatches', async () => {
    const octokit = doubleClient(gh)
    const res = await octokit.request(
      'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
      {
        owner: 'o',
        repo: 'r',
        workflow_id: 'eval.yml',
        ref: 'main',
        inputs: { sha: 'a'.repeat(40) },
        return_run_details: true,
      },
    )
    expect(res.status).toBe(200)
    const details = res.data as unknown as { workflow_run_id: number; html_url: string }
    expect(gh.state.workflowRuns.find((r) => r.id === details.workflow_run_id)?.inputs).toEqual({
      sha: 'a'.repeat(40),
    })
    const plain = await octokit.rest.actions.createWorkflowDispatch({
      owner: 'o',
      repo: 'r',
      workflow_id: 'eval.yml',
      ref: 'main',
    })
    expect(plain.status).toBe(204)
    await expect(
      octokit.rest.actions.createWorkflowDispatch({
        owner: 'o',
        repo: 'r',
        workflow_id: 'eval.yml',
        ref: 'a'.repeat(40),
      }),
    ).rejects.toMatchObject({ status: 422 })
    await octokit.rest.repos.createDispatchEvent({
      owner: 'o',
      repo: 'r',
      event_type: 'llmops-eval',
      client_payload: { sha: 'x' },
    })
    expect(gh.state.repositoryDispatches).toMatchObject([
      {
        eventType: 'llmops-eval',
        clientPayload: { sha: 'x' },
        actor: { login: 'github-actions[bot]' },
      },
    ])
    const tooMany = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]))
    await expect(
      octokit.rest.repos.createDispatchEvent({
        owner: 'o',
        repo: 'r',
        event_type: 'x',
        client_payload: tooMany,
      }),
    ).rejects.toMatchObject({ status: 422 })
  })

  it('lists only the latest check run per name unless filter=all', async () => {
    const sha = '9'.repeat(40)
    for (const name of ['a', 'a', 'b'])
      await call('POST', '/repos/o/r/check-runs', { name, head_sha: sha })
    const latest = await call('GET', `/repos/o/r/commits/${sha}/check-runs`)
    expect(latest.json?.total_count).toBe(2)
    const all = await call('GET', `/repos/o/r/commits/${sha}/check-runs?filter=all`)
    expect(all.json?.total_count).toBe(3)
  })

  it('cancels a queued workflow run (202) and refuses a completed one (409)', async () => {
    const queued = gh.state.seedWorkflowRun({
      repo: 'o/r',
      headSha: 'f'.repeat(40),
      status: 'queued',
      conclusion: null,
    })
    expect((await call('POST', `/repos/o/r/actions/runs/${queued.id}/cancel`)).status).toBe(202)
    expect(queued).toMatchObject({ status: 'completed', conclusion: 'cancelled' })
    expect((await call('POST', `/repos/o/r/actions/runs/${queued.id}/cancel`)).status).toBe(409)
  })

  it('serves artifacts through a redirect, as zip bytes', async () => {
    const run = gh.state.seedWorkflowRun({
      repo: 'o/r',
      headSha: 'd'.repeat(40),
      artifacts: [{ name: 'llmops-results', files: { 'summary.json': '{"ok":true}' } }],
    })
    const redirect = await call('GET', `/repos/o/r/actions/artifacts/${run.artifacts[0]!.id}/zip`)
    expect(redirect.status).toBe(302)
    const octokit = doubleClient(gh)
    const { data } = await octokit.rest.actions.downloadArtifact({
      owner: 'o',
      repo: 'r',
      artifact_id: run.artifacts[0]!.id,
      archive_format: 'zip',
    })
    const files = unzipSync(new Uint8Array(data as ArrayBuffer))
    expect(strFromU8(files['summary.json']!)).toBe('{"ok":true}')
  })
})

describe('GitHub double: fault injection', () => {
  it('serves injected 502s, then normal answers; the client retries', async () => {
    gh.faults.next('issues/create-comment', [{ status: 502 }, { status: 502 }])
    const octokit = doubleClient(gh)
    const { status } = await octokit.rest.issues.createComment({
      owner: 'o',
      repo: 'r',
      issue_number: 1,
      body: 'b',
    })
    expect(status).toBe(201)
    expect(gh.state.requestsFor('issues/create-comment').map((r) => r.status)).toEqual([
      502, 502, 201,
    ])
    expect(gh.state.comments).toHaveLength(1)
  })

  it('sends 403 secondary rate limits and 429 with Retry-After in GitHub shape', async () => {
    gh.faults.next('GET /repos/o/r', [
      { status: 403, secondaryRateLimit: true, retryAfter: 1 },
      { status: 429, retryAfter: 2 },
    ])
    const first = await call('GET', '/repos/o/r')
    expect(first.status).toBe(403)
    expect(String(first.json?.message)).toContain('secondary rate limit')
    expect(first.headers.get('retry-after')).toBe('1')
    const second = await call('GET', '/repos/o/r')
    expect(second.status).toBe(429)
    expect(second.headers.get('retry-after')).toBe('2')
    expect((await call('GET', '/repos/o/r')).status).toBe(200)
  })

  it('lets the client ride out a secondary rate limit', async () => {
    gh.faults.next('pulls/get', [{ status: 403, secondaryRateLimit: true, retryAfter: 1 }])
    gh.state.seedPull({ repo: 'o/r', number: 3, headSha: 'e'.repeat(40) })
    const logger = (await import('../../../src/core/logger.js')).memoryLogger()
    const octokit = doubleClient(gh, { logger })
    const { data } = await octokit.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 3 })
    expect(data.head.sha).toBe('e'.repeat(40))
    expect(logger.lines.some((l) => l.includes('secondary rate limit'))).toBe(true)
  })

  it('sends primary rate limits with x-ratelimit headers; the client waits for the reset and retries once', async () => {
    gh.faults.next('repos/get', [{ status: 403, primaryRateLimit: true, resetInSeconds: 1 }])
    const raw = await call('GET', '/repos/o/r')
    expect(raw.status).toBe(403)
    expect(raw.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(Number(raw.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0)
    gh.faults.next('repos/get', [{ status: 403, primaryRateLimit: true, resetInSeconds: 1 }])
    const { data } = await doubleClient(gh).rest.repos.get({ owner: 'o', repo: 'r' })
    expect(data.default_branch).toBe('main')
    expect(gh.state.requestsFor('repos/get').map((r) => r.status)).toEqual([403, 403, 200])
  })

  it('injects faults into GraphQL too', async () => {
    gh.faults.next('graphql', [{ status: 502 }])
    expect((await call('POST', '/graphql', { query: 'query { viewer { login } }' })).status).toBe(
      502,
    )
    const ok = await call('POST', '/graphql', { query: 'query { viewer { login } }' })
    expect(ok.json).toEqual({ data: { viewer: { login: 'github-actions[bot]' } } })
  })
})
