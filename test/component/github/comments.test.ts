import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { upsertStickyComment, stickyMarker } from '../../../src/github/comments.js'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleClient } from '../../helpers/github.js'

const repo = { owner: 'acme', repo: 'models' }
const ALICE = { login: 'alice', id: 7, type: 'User' as const }
let gh: GitHubDouble
beforeEach(async () => {
  gh = await startGitHubDouble({ tokens: { ghp_alice: ALICE } })
})
afterEach(async () => {
  await gh.close()
})

const sticky = (body: string, extra: Partial<Parameters<typeof upsertStickyComment>[1]> = {}) =>
  upsertStickyComment(doubleClient(gh), {
    repo,
    issueNumber: 9,
    kind: 'gate',
    key: 'default',
    body,
    logger: memoryLogger(),
    ...extra,
  })

describe('upsertStickyComment', () => {
  it('creates once, then updates the same comment even behind 150 other comments', async () => {
    const first = await sticky('report v1', { headSha: 'a'.repeat(40) })
    expect(first.action).toBe('created')
    gh.state.addComments(150, { repo: 'acme/models', issueNumber: 9 })
    const second = await sticky('report v2', { headSha: 'b'.repeat(40) })
    expect(second).toMatchObject({ action: 'updated', id: first.id })
    const ours = gh.state.comments.filter((c) => c.user.login === 'github-actions[bot]')
    expect(ours).toHaveLength(1)
    expect(ours[0]?.body).toBe(
      `${stickyMarker('gate', 'default')}\n<!-- llmops:sha=${'b'.repeat(40)} -->\nreport v2`,
    )
    // create: list + a post-create race check; update: pages 1 and 2
    expect(gh.state.requestsFor('issues/list-comments').map((r) => r.query.page ?? '1')).toEqual([
      '1',
      '1',
      '1',
      '2',
    ])
  })

  it('skips the update when the body is unchanged', async () => {
    await sticky('same')
    const again = await sticky('same')
    expect(again.action).toBe('unchanged')
    expect(gh.state.requestsFor('issues/update-comment')).toHaveLength(0)
  })

  it('never adopts a comment by someone else that quotes the marker', async () => {
    const alice = doubleClient(gh, { token: 'ghp_alice' })
    await alice.rest.issues.createComment({
      ...repo,
      issue_number: 9,
      body: `${stickyMarker('gate', 'default')}\nfake`,
    })
    const result = await sticky('real')
    expect(result.action).toBe('created')
    expect(gh.state.comments.find((c) => c.user.login === 'alice')?.body).toContain('fake')
  })

  it('ignores minimized comments and converges on the lowest id, minimizing duplicates', async () => {
    const marker = stickyMarker('gate', 'default')
    const bot = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' as const }
    const hidden = gh.state.createComment('acme/models', 9, `${marker}\nold`, bot)
    hidden.minimizedReason = 'outdated'
    const a = gh.state.createComment('acme/models', 9, `${marker}\nrace A`, bot)
    const b = gh.state.createComment('acme/models', 9, `${marker}\nrace B`, bot)
    const result = await sticky('final')
    expect(result).toMatchObject({ action: 'updated', id: a.id, minimized: [b.id] })
    expect(b.minimizedReason).toBe('duplicate')
    expect(a.body).toBe(`${marker}\nfinal`)
    expect(hidden.body).toBe(`${marker}\nold`)
  })

  it('in mode new, posts a new comment and minimizes the previous one as outdated', async () => {
    const first = await sticky('run 1')
    const second = await sticky('run 2', { mode: 'new' })
    expect(second.action).toBe('created')
    expect(second.id).not.toBe(first.id)
    expect(gh.state.comments.find((c) => c.id === first.id)?.minimizedReason).toBe('outdated')
    const third = await sticky('run 3')
    expect(third).toMatchObject({ action: 'updated', id: second.id })
  })

  it('cuts an oversized report so GitHub accepts it', async () => {
    const result = await sticky('y'.repeat(80_000))
    expect(result.action).toBe('created')
    expect(gh.state.comments[0]!.body.length).toBeLessThanOrEqual(65_536)
  })

  it('treats a matching comment created concurrently as the keeper when it has the lower id', async () => {
    const marker = stickyMarker('gate', 'default')
    const bot = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' as const }
    // The other run's comment appears between our list and our create.
    let injected = false
    const client = doubleClient(gh)
    const original = client.rest.issues.createComment.bind(client.rest.issues)
    client.rest.issues.createComment = (async (params: Parameters<typeof original>[0]) => {
      if (!injected) {
        injected = true
        gh.state.createComment('acme/models', 9, `${marker}\nother run`, bot)
      }
      return original(params)
    }) as typeof client.rest.issues.createComment
    const result = await upsertStickyComment(client, {
      repo,
      issueNumber: 9,
      kind: 'gate',
      key: 'default',
      body: 'mine',
      logger: memoryLogger(),
    })
    const [keeper, ours] = gh.state.comments
    expect(result).toMatchObject({ action: 'updated', id: keeper!.id })
    expect(ours!.minimizedReason).toBe('duplicate')
    expect(keeper!.body).toBe(`${marker}\nmine`)
  })
})
