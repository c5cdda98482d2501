import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { request } from 'undici'
import { afterAll, describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { serveCommand } from '../../../src/serve/command.js'
import { groupAlive } from '../../../src/serve/server-process.js'
import { freePort } from '../harness/free-port.js'
import { readTinyModel } from '../harness/inference.js'
import { venvBin } from '../harness/paths.js'

const dirs: string[] = []
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describe('llmops serve with a real server (llama-cpp-python, tiny model)', () => {
  it('starts it, reports base-url once /v1/models answers, and post stops it', async () => {
    const { modelPath } = readTinyModel()
    const port = await freePort()
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'llmops-serve-real-'))
    dirs.push(cwd)
    const logger = memoryLogger()
    const ctx: CommandContext = {
      argv: [
        `--server-command=${venvBin('python')} -m llama_cpp.server --model {model} --host {host} --port {port} --n_threads 1`,
        `--model=${modelPath}`,
        `--port=${port}`,
        '--timeout=120',
      ],
      env: process.env,
      cwd,
      stdout: new PassThrough(),
      logger,
      signal: new AbortController().signal,
      inAction: true,
    }
    const result = await serveCommand.run(ctx)
    expect(result.exitCode, logger.lines.join('\n')).toBe(0)
    const baseUrl = `http://127.0.0.1:${port}/v1`
    expect(result.outputs).toEqual({ 'base-url': baseUrl })

    const response = await request(`${baseUrl}/models`)
    expect(response.statusCode).toBe(200)
    const body = (await response.body.json()) as { data: { id: string }[] }
    expect(body.data.map((m) => m.id)).toEqual([modelPath])

    const pid = Number(result.state?.pid)
    await serveCommand.post?.(ctx, result.state ?? {})
    expect(groupAlive(pid)).toBe(false)
    expect(logger.lines).toContain(`llmops serve: stopped server ${pid}`)
  })
})
