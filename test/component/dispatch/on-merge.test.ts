import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github/server.js'
import { readRunContext } from '../../../src/github/context.js'
import { readMergeFacts } from '../../../src/dispatch/on-merge.js'
import { doubleClient, doubleEnv } from '../../helpers/github.js'
import { runCliCaptured } from '../../helpers/run-cli.js'

let gh: GitHubDouble
let dir: string
const repo = 'octo/models'
const before = 'b'.repeat(40)
const after = 'a'.repeat(40)

function files(onMerge: string[], extra: string[] = []): { config: string; event: string } {
  const config = path.join(dir, 'llmops.yml')
  writeFileSync(
    config,
    [
      'version: 1',
      'finetune:',
      '  target: workflow',
      '  workflow: gpu-finetune.yml',
      '  timeout_s: 30',
      ...extra,
      'on_merge:',
      ...onMerge.map((l) => `  ${l}`),
    ].join('\n'),
  )
  const event = path.join(dir, 'push.json')
  writeFileSync(
    event,
    JSON.stringify({
      ref: 'refs/heads/main',
      before,
      after,
      repository: {
        full_name: repo,
        name: 'models',
        owner: { login: 'octo' },
        default_branch: 'main',
      },
    }),
  )
  return { config, event }
}

function finetuneOnPush(f: { config: string; event: string }, runId = '42') {
  const env = {
    ...doubleEnv(gh),
    GITHUB_REPOSITORY: repo,
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: f.event,
    GITHUB_SHA: after,
    GITHUB_RUN_ID: runId,
  }
  return runCliCaptured(['finetune', '--config', f.config, '--sha', after, '--poll', '1'], { env })
}

function runnerSucceeds() {
  const timer = setInterval(() => {
    for (const run of gh.state.workflowRuns) {
      if (run.status === 'queued') run.status = 'in_progress'
      else if (run.status === 'in_progress') {
        run.status = 'completed'
        run.conclusion = 'success'
      }
    }
  }, 200)
  return () => clearInterval(timer)
}

describe('finetune on a push to the default branch', () => {
  beforeEach(async () => {
    gh = await startGitHubDouble()
    dir = mkdtempSync(path.join(os.tmpdir(), 'llmops-merge-'))
    gh.state.seedPull({
      repo,
      number: 12,
      headSha: 'c'.repeat(40),
      state: 'closed',
      merged: true,
      mergeCommitSha: after,
      labels: ['docs'],
    })
    gh.state.setMergeBase(repo, before, after, before, {
      files: ['training/lora.yaml', 'README.md'],
    })
  })
  afterEach(async () => {
    await gh.close()
  })

  it('skips when the merged PR lacks the label: nothing is dispatched', async () => {
    const r = await finetuneOnPush(files(['finetune: true', 'labels: [retrain]']))
    expect(r.code).toBe(0)
    expect(r.out).toBe('skipped: pull request #12 has none of the labels retrain\n')
    expect(gh.state.requestsFor('actions/create-workflow-dispatch')).toHaveLength(0)
    expect(gh.state.commentsOn(repo, 12)).toHaveLength(0)
  })

  it('skips when no changed file matches the paths', async () => {
    const r = await finetuneOnPush(files(['finetune: true', "paths: ['eval/**']"]))
    expect(r).toMatchObject({ code: 0, out: 'skipped: no changed file matches eval/**\n' })
    expect(gh.state.requestsFor('actions/create-workflow-dispatch')).toHaveLength(0)
  })

  it('runs when training/** changed and keeps one sticky comment on the merged PR', async () => {
    const f = files(['finetune: true', "paths: ['training/**']"])
    const stop = runnerSucceeds()
    const first = await finetuneOnPush(f)
    expect(first).toMatchObject({ code: 0, out: 'SUCCEEDED\n' })
    expect(gh.state.requestsFor('actions/create-workflow-dispatch')).toHaveLength(1)
    const comments = gh.state.commentsOn(repo, 12)
    expect(comments).toHaveLength(1)
    const body = comments[0]!.body
    expect(body).toContain('<!-- llmops:v1 kind=merge key=finetune -->')
    expect(body).toMatch(/### Fine-tune job `[^`]+` on workflow: SUCCEEDED/)
    expect(body).toContain(`[Actions run](https://github.com/${repo}/actions/runs/42)`)

    const second = await finetuneOnPush(f, '43')
    stop()
    expect(second.code).toBe(0)
    const again = gh.state.commentsOn(repo, 12)
    expect(again).toHaveLength(1)
    expect(again[0]!.id).toBe(comments[0]!.id)
    expect(again[0]!.body).toContain(`[Actions run](https://github.com/${repo}/actions/runs/43)`)
    expect(gh.state.requestsFor('issues/update-comment')).toHaveLength(1)
  })

  it('deploys only the environments listed in on_merge.deploy and comments the outcome', async () => {
    const f = files(
      ['deploy: [staging]'],
      [
        'deploy:',
        '  environments:',
        '    staging: { job: { target: workflow, workflow: deploy.yml, timeout_s: 30 } }',
        '    prod: { job: { target: workflow, workflow: deploy.yml, timeout_s: 30 } }',
      ],
    )
    const env = {
      ...doubleEnv(gh),
      GITHUB_REPOSITORY: repo,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: f.event,
      GITHUB_SHA: after,
      GITHUB_RUN_ID: '42',
    }
    const args = (e: string) => ['deploy', '--config', f.config, '--environment', e, '--sha', after]
    const skipped = await runCliCaptured(args('prod'), { env })
    expect(skipped).toMatchObject({
      code: 0,
      out: "skipped: on_merge.deploy does not list 'prod'\n",
    })
    expect(gh.state.deployments).toHaveLength(0)

    const stop = runnerSucceeds()
    const r = await runCliCaptured(args('staging'), { env })
    stop()
    expect(r).toMatchObject({ code: 0, out: 'success\n' })
    const [comment, ...rest] = gh.state.commentsOn(repo, 12)
    expect(rest).toHaveLength(0)
    expect(comment?.body).toContain('<!-- llmops:v1 kind=merge key=deploy-staging -->')
    expect(comment?.body).toContain(`to staging: success`)
    expect(comment?.body).toContain(`Deployment: #${gh.state.deployments[0]!.id}`)
  })

  it('reads labels and changed files of a pull_request closed and merged, and of a push', async () => {
    const base = 'e'.repeat(40)
    const head = 'c'.repeat(40)
    gh.state.setMergeBase(repo, base, head, base, { files: ['training/data.jsonl'] })
    const event = path.join(dir, 'pr.json')
    const repository = { full_name: repo, name: 'models', owner: { login: 'octo' } }
    writeFileSync(
      event,
      JSON.stringify({
        action: 'closed',
        number: 12,
        pull_request: {
          number: 12,
          state: 'closed',
          merged: true,
          labels: [{ name: 'retrain' }],
          head: { sha: head, ref: 'feature', repo: repository },
          base: { sha: base, ref: 'main', repo: repository },
          user: { login: 'octocat', id: 1, type: 'User' },
        },
        repository,
      }),
    )
    const env = { GITHUB_REPOSITORY: repo, GITHUB_EVENT_PATH: event }
    const client = doubleClient(gh)
    const pr = await readMergeFacts(
      client,
      readRunContext({ ...env, GITHUB_EVENT_NAME: 'pull_request' }),
    )
    expect(pr).toEqual({
      event: 'pull_request',
      merged: true,
      pull: { number: 12, labels: ['retrain'] },
      changedFiles: ['training/data.jsonl'],
    })
    const pushed = await readMergeFacts(
      client,
      readRunContext({ ...env, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: files([]).event }),
    )
    expect(pushed).toEqual({
      event: 'push',
      merged: true,
      ref: 'refs/heads/main',
      pull: { number: 12, labels: ['docs'] },
      changedFiles: ['training/lora.yaml', 'README.md'],
    })
  })
})
