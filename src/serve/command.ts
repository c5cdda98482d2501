import path from 'node:path'
import { intFlag, parseCommandArgs } from '../cli/args.js'
import type { Command, CommandContext, CommandResult } from '../cli/command.js'
import { ExitCode, UsageError } from '../errors.js'
import { waitReady, type StatusProbe } from './readiness.js'
import { logTail, startDetached, stopGroup } from './server-process.js'
import { serverArgv } from './split-command.js'

const USAGE =
  'llmops serve --model M [--server-command CMD] [--host H] [--port P] [--timeout S] [--out D]\n' +
  '       llmops serve --stop PID [--grace S]'

const OPTIONS = {
  model: { type: 'string' },
  'server-command': { type: 'string', default: 'vllm serve' },
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8000' },
  timeout: { type: 'string', default: '900' },
  out: { type: 'string', default: 'llmops-results/serve' },
  stop: { type: 'string' },
  grace: { type: 'string', default: '15' },
} as const

/** Seams for tests: the readiness probe. */
export interface ServeDeps {
  probe?: StatusProbe
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

async function stop(ctx: CommandContext, pid: number, graceMs: number): Promise<void> {
  const how = await stopGroup(pid, graceMs)
  if (how === 'not-running')
    ctx.logger.warn(`llmops serve: server process group ${pid} was not running any more`)
  else if (how === 'killed')
    ctx.logger.warn(
      `llmops serve: server ${pid} ignored SIGTERM for ${graceMs / 1000} s; killed it`,
    )
  else ctx.logger.info(`llmops serve: stopped server ${pid}`)
}

async function start(
  ctx: CommandContext,
  values: Record<string, string | undefined>,
  deps: ServeDeps,
): Promise<CommandResult> {
  const model = values.model
  if (!model) throw new UsageError(`llmops serve: --model is required\nusage: ${USAGE}`)
  const port = intFlag('port', values.port, { min: 1 }) as number
  if (port > 65_535) throw new UsageError(`--port must be at most 65535, got '${values.port}'`)
  const timeoutS = intFlag('timeout', values.timeout, { min: 1 }) as number
  const host = values.host ?? '127.0.0.1'
  const argv = serverArgv(values['server-command'] ?? 'vllm serve', { model, host, port })
  const outDir = path.resolve(ctx.cwd, values.out ?? 'llmops-results/serve')
  const logFile = path.join(outDir, 'server.log')
  const baseUrl = `http://${hostForUrl(host)}:${port}/v1`

  ctx.logger.info(`llmops serve: starting ${argv.map((a) => JSON.stringify(a)).join(' ')}`)
  ctx.logger.info(`llmops serve: log ${logFile}`)
  let server
  try {
    server = await startDetached(argv, { logFile, env: ctx.env, cwd: ctx.cwd })
  } catch (error) {
    ctx.logger.error(`llmops serve: could not start the server: ${(error as Error).message}`)
    return { exitCode: ExitCode.infrastructure }
  }
  const readiness = await waitReady(baseUrl, {
    timeoutMs: timeoutS * 1000,
    exited: server.exited,
    signal: ctx.signal,
    ...(deps.probe ? { probe: deps.probe } : {}),
  })
  if (!readiness.ready) {
    await stopGroup(server.pid, 5_000)
    const why =
      readiness.reason === 'exited'
        ? `the server exited before it was ready (${readiness.detail})`
        : readiness.reason === 'timeout'
          ? `the server was not ready at ${baseUrl} after ${timeoutS} s`
          : 'cancelled while waiting for the server'
    ctx.logger.error(
      `llmops serve: ${why}. Last lines of ${logFile}:\n${logTail(logFile) || '(empty log)'}`,
    )
    return { exitCode: ExitCode.infrastructure }
  }
  ctx.logger.info(
    `llmops serve: ready at ${baseUrl} after ${(readiness.waitedMs / 1000).toFixed(1)} s (${readiness.via})`,
  )
  if (!ctx.inAction)
    ctx.logger.info(`llmops serve: stop it with 'llmops serve --stop ${server.pid}'`)
  ctx.stdout.write(`${baseUrl}\n`)
  return {
    exitCode: ExitCode.ok,
    outputs: { 'base-url': baseUrl },
    state: { pid: String(server.pid), 'log-file': logFile, 'base-url': baseUrl },
  }
}

/**
 * `llmops serve`: starts an OpenAI-compatible model server detached (its own process group, output
 * in `<out>/server.log`), waits until it answers, prints and outputs `base-url`, and returns the pid
 * as state; `post` (the action's post step) or `llmops serve --stop PID` stops the group.
 */
export function createServeCommand(deps: ServeDeps = {}): Command {
  return {
    name: 'serve',
    summary: 'Start an OpenAI-compatible model server and wait until it is ready',
    usage: USAGE,
    async run(ctx) {
      const { values } = parseCommandArgs({ name: 'serve', usage: USAGE }, ctx.argv, OPTIONS)
      const graceMs = (intFlag('grace', values.grace, { min: 0 }) as number) * 1000
      if (values.stop !== undefined) {
        const pid = intFlag('stop', values.stop, { min: 2 }) as number
        await stop(ctx, pid, graceMs)
        return { exitCode: ExitCode.ok }
      }
      return start(ctx, values, deps)
    },
    async post(ctx, state) {
      const pid = Number(state.pid)
      if (!Number.isInteger(pid) || pid < 2) {
        ctx.logger.warn('llmops serve: no server pid was saved by the main step; nothing to stop')
        return
      }
      const { values } = parseCommandArgs({ name: 'serve', usage: USAGE }, ctx.argv, OPTIONS)
      await stop(ctx, pid, (intFlag('grace', values.grace, { min: 0 }) as number) * 1000)
      if (state['log-file'])
        ctx.logger.info(
          `llmops serve: last lines of ${state['log-file']}:\n${logTail(state['log-file'], 20)}`,
        )
    },
  }
}

/** The registered `serve` command. */
export const serveCommand: Command = createServeCommand()
