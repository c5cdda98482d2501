import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleEnv } from '../../helpers/github.js'
import { bundlePath, runBundledAction, runBundledCli } from '../../helpers/run-bundle.js'
import { commentEvent, REPO } from './payloads.js'

const HEAD = '4444444444444444444444444444444444444444'
let double: GitHubDouble

beforeAll(async () => {
  await bundlePath() // the ncc build is shared by every test file; it can take minutes on a busy machine
}, 900_000)

beforeEach(async () => {
  double = await startGitHubDouble()
  let t = Date.parse('2026-03-01T10:00:00Z')
  double.state.now = () => new Date((t += 1000))
  double.state.seedPull({ repo: REPO, number: 1, headSha: HEAD })
  double.state.seedCheckSuite(REPO, HEAD)
  double.state.setPermission('boss', 'admin')
})

afterEach(async () => {
  await double.close()
})

describe('the bundled command sub-action against the GitHub double', () => {
  it("an admin's /eval with no config: one pinned repository_dispatch, 👀 🚀, the reply and the check run", async () => {
    const event = commentEvent(double, { body: 'LGTM\n/eval', login: 'boss' })
    const run = await runBundledAction({
      command: 'command',
      inputs: { config: '.github/llmops.yml', 'github-token': doubleEnv(double).GITHUB_TOKEN! },
      eventName: 'issue_comment',
      event,
      env: { ...doubleEnv(double), GITHUB_REPOSITORY: REPO },
    })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(run.outputs).toEqual({ command: 'eval', sha: HEAD, dispatched: 'true' })
    expect(run.summary).toContain(HEAD)

    const dispatches = double.state.requestsFor('repos/create-dispatch-event')
    expect(dispatches).toHaveLength(1)
    expect(dispatches[0]!.body).toMatchObject({
      event_type: 'llmops-eval',
      client_payload: {
        command: 'eval',
        sha: HEAD,
        pr: 1,
        actor: 'boss',
        comment_id: event.comment.id,
      },
    })
    const comment = double.state.comments.find((c) => c.id === event.comment.id)!
    expect(comment.reactions.map((r) => r.content)).toEqual(['eyes', 'rocket'])
    const replies = double.state
      .commentsOn(REPO, 1)
      .filter((c) => c.user.login === 'github-actions[bot]')
    expect(replies).toHaveLength(1)
    expect(replies[0]!.body).toContain(`Started \`/eval\` for boss on \`${HEAD}\``)
    expect(double.state.checkRuns.map((c) => [c.name, c.headSha, c.status])).toEqual([
      ['llmops/eval', HEAD, 'queued'],
    ])
  })

  it('the CLI entry refuses a reader and dispatches nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'llmops-cli-'))
    const file = path.join(dir, 'event.json')
    await writeFile(file, JSON.stringify(commentEvent(double, { body: '/eval', login: 'reader' })))
    double.state.setPermission('reader', 'read')
    const run = await runBundledCli(['command', '--event', file], {
      env: { ...doubleEnv(double), GITHUB_EVENT_NAME: 'issue_comment' },
      cwd: dir,
    })
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr).toContain('command rejected: this command needs the write role')
    expect(double.state.requestsFor('repos/create-dispatch-event')).toEqual([])
  })
})
