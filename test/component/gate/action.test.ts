import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { doubleEnv } from '../../helpers/github.js'
import { binaryRows, flips, writeResultsDir } from '../../unit/gate/builders.js'
import { buildBundle, runBundledAction } from './bundle.js'

const HEAD = 'c0ffee'.padEnd(40, '0')
let bundle: string
let gh: GitHubDouble
let work: string

beforeAll(async () => {
  bundle = await buildBundle()
  gh = await startGitHubDouble()
  work = await mkdtemp(path.join(tmpdir(), 'llmops-gate-action-'))
  await writeFile(
    path.join(work, 'event.json'),
    JSON.stringify({
      action: 'synchronize',
      number: 7,
      pull_request: { number: 7, head: { sha: HEAD } },
    }),
  )
}, 900_000)

afterAll(async () => {
  await gh?.close()
})

async function step(results: string, out: string) {
  return runBundledAction(
    bundle,
    {
      command: 'gate',
      baseline: results,
      candidate: results,
      out,
      comment: 'true',
      check: 'true',
      config: '.github/llmops.yml',
    },
    {
      ...doubleEnv(gh),
      GITHUB_REPOSITORY: 'acme/models',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: path.join(work, 'event.json'),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '42',
    },
    work,
  )
}

const ours = () =>
  gh.state.comments.filter((c) => c.user.login === 'github-actions[bot]' && c.issueNumber === 7)

describe('the bundled gate action against the GitHub double', () => {
  it('creates the comment and the check run, then updates the same comment behind 150 others', async () => {
    const first = await step(
      await writeResultsDir(
        path.join(work, 'r1'),
        binaryRows('qa', 'em', flips(500, { regress: 25 })),
      ),
      'out1',
    )
    expect(first.code).toBe(1)
    expect(first.outputs.verdict).toBe('fail')
    expect(ours()).toHaveLength(1)
    expect(ours()[0]!.body).toBe(await readFile(path.join(work, 'out1/report.md'), 'utf8'))
    expect(gh.state.checkRuns).toHaveLength(1)
    expect(gh.state.checkRuns[0]).toMatchObject({
      headSha: HEAD,
      name: 'llmops/gate (llmops)',
      conclusion: 'failure',
      status: 'completed',
    })
    expect(gh.state.checkRuns[0]!.annotations).toHaveLength(25)
    expect(first.summary).toContain('qa/em')

    gh.state.addComments(150, { repo: 'acme/models', issueNumber: 7 })
    const firstId = ours()[0]!.id
    const second = await step(
      await writeResultsDir(path.join(work, 'r2'), binaryRows('qa', 'em', flips(500))),
      'out2',
    )
    expect(second.code).toBe(0)
    expect(second.outputs.verdict).toBe('pass')
    expect(ours()).toHaveLength(1)
    expect(ours()[0]!.id).toBe(firstId)
    expect(ours()[0]!.body).toContain('### ✅ Pass')
    expect(gh.state.checkRuns.at(-1)!.conclusion).toBe('success')
  }, 300_000)

  it('keeps a 5,000-case regression within every limit', async () => {
    const long = `${'x'.repeat(2000)} @octocat <b>bold</b> 😀`
    const rows = binaryRows('big', 'em', flips(5000, { baseRate: 1, regress: 5000 })).map((r) => ({
      ...r,
      output: long,
      input: long,
    }))
    const r = await step(await writeResultsDir(path.join(work, 'r3'), rows), 'out3')
    expect(r.code).toBe(1)
    const body = ours()[0]!.body
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(262_144)
    expect(body).toContain('Abridged to fit')
    expect(body).not.toContain('@octocat')
    const check = gh.state.checkRuns.at(-1)!
    expect(check.output.summary!.length).toBeLessThanOrEqual(65_535)
    expect(check.annotations).toHaveLength(200)
    expect(check.updates).toHaveLength(3)
    expect((await readFile(path.join(work, 'out3/report-full.md'), 'utf8')).length).toBeGreaterThan(
      65_536,
    )
  }, 300_000)
})
