import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { UsageError } from '../../../src/errors.js'
import { serveCommand } from '../../../src/serve/command.js'

function ctx(argv: string[]): CommandContext & { logger: ReturnType<typeof memoryLogger> } {
  return {
    argv,
    env: {},
    cwd: '/tmp',
    stdout: new PassThrough(),
    logger: memoryLogger(),
    signal: new AbortController().signal,
    inAction: false,
  }
}

describe('llmops serve arguments', () => {
  it.each([
    [[], '--model is required'],
    [['--model=m', '--port=0'], '--port must be an integer >= 1'],
    [['--model=m', '--port=70000'], '--port must be at most 65535'],
    [['--model=m', '--timeout=soon'], '--timeout must be an integer >= 1'],
    [['--model=m', '--server-command=vllm serve | tee log'], "unquoted '|'"],
    [['--model=m', '--server-command=  '], '--server-command is empty'],
    [['--stop=1'], '--stop must be an integer >= 2'],
    [['--model=m', '--bogus'], "Unknown option '--bogus'"],
  ])('rejects %j with a usage error (exit 2)', async (argv, message) => {
    const run = serveCommand.run(ctx(argv))
    await expect(run).rejects.toThrow(UsageError)
    await expect(serveCommand.run(ctx(argv))).rejects.toThrow(message)
  })

  it('post without a saved pid warns and does nothing', async () => {
    const c = ctx([])
    await serveCommand.post?.(c, {})
    expect(c.logger.lines).toEqual([
      'warning: llmops serve: no server pid was saved by the main step; nothing to stop',
    ])
  })
})
