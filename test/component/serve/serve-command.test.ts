import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { serveCommand } from '../../../src/serve/command.js'
import { groupAlive, stopGroup } from '../../../src/serve/server-process.js'
import { freePort } from '../../integration/harness/free-port.js'

const fakeServer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-server.mjs')
const node = `'${process.execPath}'`
const started: number[] = []
const dirs: string[] = []

async function context(argv: string[]) {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'llmops-serve-'))
  dirs.push(cwd)
  const stdout = new PassThrough()
  let printed = ''
  stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()))
  const logger = memoryLogger()
  const ctx: CommandContext = {
    argv,
    env: process.env,
    cwd,
    stdout,
    logger,
    signal: new AbortController().signal,
    inAction: true,
  }
  return { ctx, logger, cwd, printed: () => printed }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

afterEach(async () => {
  for (const pid of started.splice(0)) await stopGroup(pid, 1_000)
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

describe('llmops serve', () => {
  it('starts the server, waits for /v1/models, outputs base-url and the pid, and post stops the whole group', async () => {
    const port = await freePort()
    const { ctx, logger, cwd, printed } = await context([
      `--server-command=${node} ${fakeServer} --port {port} --host {host} --model {model} --delay 700 --grandchild`,
      '--model=tiny',
      `--port=${port}`,
      '--timeout=30',
    ])
    const result = await serveCommand.run(ctx)
    const pid = Number(result.state?.pid)
    started.push(pid)
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({ 'base-url': `http://127.0.0.1:${port}/v1` })
    expect(printed()).toBe(`http://127.0.0.1:${port}/v1\n`)
    expect(result.state?.['log-file']).toBe(path.join(cwd, 'llmops-results/serve/server.log'))
    const response = await fetch(`http://127.0.0.1:${port}/v1/models`)
    expect(await response.json()).toEqual({ object: 'list', data: [{ id: 'tiny' }] })

    const log = await readFile(path.join(cwd, 'llmops-results/serve/server.log'), 'utf8')
    const grandchild = Number(/grandchild pid (\d+)/.exec(log)?.[1])
    expect(alive(grandchild)).toBe(true)
    expect(
      logger.lines.some((l) => l.startsWith(`llmops serve: ready at http://127.0.0.1:${port}/v1`)),
    ).toBe(true)

    await serveCommand.post?.(ctx, result.state ?? {})
    expect(groupAlive(pid)).toBe(false)
    expect(alive(grandchild)).toBe(false)
    expect(logger.lines).toContain(`llmops serve: stopped server ${pid}`)
  })

  it('accepts a server that only has /health', async () => {
    const port = await freePort()
    const { ctx } = await context([
      `--server-command=${node} ${fakeServer} --port {port} --mode health-only`,
      '--model=m',
      `--port=${port}`,
    ])
    const result = await serveCommand.run(ctx)
    started.push(Number(result.state?.pid))
    expect(result.exitCode).toBe(0)
  })

  it('exits 3 with the log tail when the server exits during startup', async () => {
    const port = await freePort()
    const { ctx, logger } = await context([
      `--server-command=${node} ${fakeServer} --port {port} --mode exit`,
      '--model=m',
      `--port=${port}`,
    ])
    const result = await serveCommand.run(ctx)
    expect(result.exitCode).toBe(3)
    expect(result.state).toBeUndefined()
    const error = logger.lines.find((l) => l.startsWith('error: '))
    expect(error).toContain('the server exited before it was ready (exit code 4)')
    expect(error).toContain('error: model weights not found')
  })

  it('exits 3 on timeout, prints the log tail and leaves nothing running', async () => {
    const port = await freePort()
    const { ctx, logger } = await context([
      `--server-command=${node} ${fakeServer} --port {port} --mode never --grandchild`,
      '--model=m',
      `--port=${port}`,
      '--timeout=2',
    ])
    const result = await serveCommand.run(ctx)
    expect(result.exitCode).toBe(3)
    const error = logger.lines.find((l) => l.startsWith('error: ')) ?? ''
    expect(error).toContain(`the server was not ready at http://127.0.0.1:${port}/v1 after 2 s`)
    const pid = Number(/fake server pid (\d+)/.exec(error)?.[1])
    const grandchild = Number(/grandchild pid (\d+)/.exec(error)?.[1])
    expect(pid).toBeGreaterThan(1)
    expect(groupAlive(pid)).toBe(false)
    expect(alive(grandchild)).toBe(false)
  })

  it('exits 3 when the executable does not exist', async () => {
    const { ctx, logger } = await context(['--server-command=/nonexistent/llm-server', '--model=m'])
    const result = await serveCommand.run(ctx)
    expect(result.exitCode).toBe(3)
    expect(logger.lines.find((l) => l.startsWith('error: '))).toContain(
      'could not start the server',
    )
  })

  it('post escalates to SIGKILL when the server ignores SIGTERM', async () => {
    const port = await freePort()
    const { ctx, logger } = await context([
      `--server-command=${node} ${fakeServer} --port {port} --ignore-term`,
      '--model=m',
      `--port=${port}`,
      '--grace=1',
    ])
    const result = await serveCommand.run(ctx)
    const pid = Number(result.state?.pid)
    started.push(pid)
    expect(result.exitCode).toBe(0)
    await serveCommand.post?.(ctx, result.state ?? {})
    expect(groupAlive(pid)).toBe(false)
    expect(logger.lines).toContain(
      `warning: llmops serve: server ${pid} ignored SIGTERM for 1 s; killed it`,
    )
  })

  it('--stop stops a server started by an earlier CLI run', async () => {
    const port = await freePort()
    const first = await context([
      `--server-command=${node} ${fakeServer} --port {port}`,
      '--model=m',
      `--port=${port}`,
    ])
    const result = await serveCommand.run(first.ctx)
    const pid = Number(result.state?.pid)
    started.push(pid)
    const second = await context([`--stop=${pid}`])
    expect((await serveCommand.run(second.ctx)).exitCode).toBe(0)
    expect(groupAlive(pid)).toBe(false)
    expect(second.logger.lines).toContain(`llmops serve: stopped server ${pid}`)
  })
})
