import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCommandCommand } from '../../../src/chatops/command.js'
import type { CommentTrigger } from '../../../src/chatops/trigger.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { fakeGitHub, HEAD } from './fake-github.js'

function payload(body: string, repo = 'o/r') {
  return {
    action: 'created',
    issue: { number: 7, pull_request: { url: 'https://x/pulls/7' } },
    comment: {
      id: 42,
      body,
      created_at: '2026-01-01T00:00:10Z',
      user: { login: 'alice', type: 'User' },
    },
    repository: {
      full_name: repo,
      name: repo.split('/')[1],
      owner: { login: repo.split('/')[0] },
      default_branch: 'main',
    },
  }
}

async function run(
  event: unknown,
  options: {
    env?: Record<string, string>
    config?: string
    argv?: string[]
    fake?: ReturnType<typeof fakeGitHub>
  } = {},
) {
  const dir = await mkdtemp(path.join(tmpdir(), 'llmops-command-'))
  await writeFile(
    path.join(dir, 'event.json'),
    typeof event === 'string' ? event : JSON.stringify(event),
  )
  if (options.config !== undefined) {
    await writeFile(path.join(dir, 'llmops.yml'), options.config)
  }
  const fake = options.fake ?? fakeGitHub()
  const triggers: CommentTrigger[] = []
  const command = createCommandCommand((_ctx, trigger) => {
    triggers.push(trigger)
    return fake.github
  })
  const logger = memoryLogger()
  const result = await command.run({
    argv: options.argv ?? [
      '--event',
      'event.json',
      ...(options.config !== undefined ? ['--config', 'llmops.yml'] : []),
    ],
    env: options.env ?? {},
    cwd: dir,
    stdout: process.stdout,
    logger,
    signal: new AbortController().signal,
    inAction: false,
  })
  return { result, calls: fake.calls, triggers, logger }
}

describe('llmops command (CLI)', () => {
  it('handles a comment file outside Actions, taking the repository from the payload', async () => {
    const { result, calls, triggers } = await run(payload('/eval'))
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({ command: 'eval', sha: HEAD, dispatched: 'true' })
    expect(triggers[0]!.repo.fullName).toBe('o/r')
    expect(calls.repositoryDispatches).toHaveLength(1)
    expect(result.summary).toContain(HEAD)
  })

  it('never puts comment text into outputs or the summary', async () => {
    const { result } = await run(payload('/eval suite=$(id)'))
    expect(result.outputs).toEqual({ command: '', sha: '', dispatched: 'false' })
    expect(JSON.stringify(result)).not.toContain('$(id)')
  })

  it('does not read the configuration or call GitHub when the comment holds no command', async () => {
    const { result, triggers } = await run(payload('nice work'), { config: 'version: [broken' })
    expect(result.exitCode).toBe(0)
    expect(triggers).toEqual([])
  })

  it('ignores other events by name', async () => {
    const { result, triggers, logger } = await run(payload('/eval'), {
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r' },
    })
    expect(result.outputs?.dispatched).toBe('false')
    expect(triggers).toEqual([])
    expect(logger.lines.join('\n')).toContain("event 'push' does not carry comment commands")
  })

  it('refuses an event for another repository than GITHUB_REPOSITORY', async () => {
    await expect(
      run(payload('/eval'), { env: { GITHUB_REPOSITORY: 'other/repo' } }),
    ).rejects.toThrow('the event is for o/r but GITHUB_REPOSITORY is other/repo')
  })

  it('uses the configuration: a configured min_permission applies', async () => {
    const { result, calls } = await run(payload('/eval'), {
      config: 'version: 1\ncommands:\n  eval: { min_permission: admin }\n',
    })
    expect(result.outputs?.dispatched).toBe('true') // the fake answers admin
    expect(calls.permissionLookups).toEqual(['alice'])
  })

  it('an invalid configuration is a configuration error (exit 2), reported on the pull request', async () => {
    const fake = fakeGitHub()
    await expect(
      run(payload('/eval'), {
        config: 'version: 1\ncommands:\n  eval: { min_permision: admin }\n',
        env: { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '5' },
        fake,
      }),
    ).rejects.toThrow("Did you mean 'min_permission'?")
    expect(fake.calls.reactions).toEqual(['confused'])
    expect(fake.calls.replies[0]!.body).toContain('https://github.com/o/r/actions/runs/5')
    expect(fake.calls.repositoryDispatches).toEqual([])
    await expect(
      run(payload('/eval'), {
        config: 'version: 1\ncommands:\n  eval: { min_permision: admin }\n',
      }),
    ).rejects.toThrow(/min_permision: unknown key. Did you mean 'min_permission'\?/)
  })

  it.each([
    [[], 'pass --event F or set GITHUB_EVENT_PATH'],
    [['--event', 'missing.json'], 'cannot read the event payload'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('usage errors: %j', async (argv, message) => {
    await expect(run(payload('/eval'), { argv })).rejects.toThrow(message)
  })

  it('rejects a payload that is not JSON', async () => {
    await expect(run('{not json')).rejects.toThrow('not JSON')
  })
})
