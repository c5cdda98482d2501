import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN, startGitHubDouble, type GitHubDouble } from '../doubles/github/server.js'
import { doubleEnv } from '../helpers/github.js'
import { commentEvent, REPO } from '../component/chatops/payloads.js'
import { actBinary, makeOrigin, runAct, type OriginRepo } from './act.js'

let origin: OriginRepo
let headSha: string
let double: GitHubDouble

beforeAll(async () => {
  actBinary()
  origin = await makeOrigin()
  headSha = origin.commitOnBranch('feature', { 'model/README.md': 'candidate\n' })
}, 900_000)

beforeEach(async () => {
  double = await startGitHubDouble()
  double.state.seedPull({ repo: REPO, number: 1, headSha })
  double.state.seedCheckSuite(REPO, headSha)
  double.state.setPermission('boss', 'admin')
})

afterEach(async () => {
  await double.close()
})

describe('llmops-commands.yml under act', () => {
  it("an admin's /eval: one repository_dispatch pinned to the head SHA, 👀 🚀, hostile text kept as data", async () => {
    const markers = mkdtempSync(path.join(tmpdir(), 'llmops-e2e-marker-'))
    const hostile = [
      '/eval',
      '',
      `$(touch ${markers}/dollar) \`touch ${markers}/backtick\``,
      '${{ github.token }} ${{ toJSON(github) }}',
    ].join('\n')
    const event = commentEvent(double, { body: hostile, login: 'boss' })
    const run = await runAct({
      origin,
      workflow: 'llmops-commands.yml',
      eventName: 'issue_comment',
      event,
      repository: REPO,
      actor: 'boss',
      env: doubleEnv(double),
      secrets: { GITHUB_TOKEN: DEFAULT_TOKEN },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain(`command=eval sha=${headSha} dispatched=true`)

    const dispatches = double.state.requestsFor('repos/create-dispatch-event')
    expect(dispatches).toHaveLength(1)
    expect(dispatches[0]!.body).toMatchObject({
      event_type: 'llmops-eval',
      client_payload: { command: 'eval', sha: headSha, pr: 1, actor: 'boss' },
    })
    const comment = double.state.comments.find((c) => c.id === event.comment.id)!
    expect(comment.reactions.map((r) => r.content)).toEqual(['eyes', 'rocket'])
    expect(double.state.checkRuns.map((c) => [c.name, c.headSha])).toEqual([
      ['llmops/eval', headSha],
    ])
    expect(existsSync(path.join(markers, 'dollar'))).toBe(false)
    expect(existsSync(path.join(markers, 'backtick'))).toBe(false)
    expect(run.log).not.toContain(DEFAULT_TOKEN)
  })

  it('a reader gets no dispatch', async () => {
    double.state.setPermission('reader', 'read')
    const event = commentEvent(double, { body: '/eval', login: 'reader' })
    const run = await runAct({
      origin,
      workflow: 'llmops-commands.yml',
      eventName: 'issue_comment',
      event,
      repository: REPO,
      actor: 'reader',
      env: doubleEnv(double),
      secrets: { GITHUB_TOKEN: DEFAULT_TOKEN },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain('command rejected: this command needs the write role')
    expect(run.log).toContain('command=eval sha= dispatched=false')
    expect(double.state.requestsFor('repos/create-dispatch-event')).toEqual([])
  })
})
