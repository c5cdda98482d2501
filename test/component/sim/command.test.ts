import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { simCommand } from '../../../src/sim/command.js'

describe('llmops sim', () => {
  it('serves a profile file until interrupted', async () => {
    const stdout = new PassThrough()
    let text = ''
    stdout.on('data', (d: Buffer) => (text += d.toString()))
    const controller = new AbortController()
    const running = simCommand.run({
      argv: ['--profile', 'fixtures/sim/demo-profile.yaml', '--port', '0'],
      env: {},
      cwd: process.cwd(),
      stdout,
      logger: memoryLogger(),
      signal: controller.signal,
      inAction: false,
    })
    while (!/listening on (\S+)/.test(text)) await new Promise((r) => setTimeout(r, 10))
    const url = /listening on (\S+)/.exec(text)![1]!
    const models = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] }
    expect(models.data.map((m) => m.id)).toEqual(['demo-baseline', 'demo-candidate'])
    controller.abort()
    expect((await running).exitCode).toBe(0)
  })
})
