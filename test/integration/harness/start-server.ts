import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { freePort } from './free-port.js'
import { integrationDir } from './paths.js'

/** What a health check sees: the server's base URL (`http://127.0.0.1:<port>`) and port. */
export interface ServerAddress {
  url: string
  port: number
}

export interface StartServerOptions {
  /** Short name used in messages and in the log file name. */
  name: string
  /** Executable (absolute path or on PATH); run directly, never through a shell. */
  command: string
  /** Arguments; every `{port}` in them is replaced with the chosen port. */
  args?: readonly string[]
  /** Extra environment on top of the current one; `{port}` is replaced in values too. */
  env?: Readonly<Record<string, string>>
  cwd?: string
  /** The port the server listens on; a free one is picked when omitted. */
  port?: number
  /**
   * Readiness: a URL (with `{port}`) that must answer 2xx, or a check that resolves true when ready
   * (it may throw or resolve false while the server is still starting).
   */
  health: string | ((server: ServerAddress) => Promise<boolean>)
  /** How long to wait for readiness (default 120 s). */
  timeoutMs?: number
  /** How long stop() waits after SIGTERM before SIGKILL (default 10 s). */
  stopGraceMs?: number
  /** Runs after the process group is gone (e.g. removing a temp dir). */
  onStop?: () => Promise<void>
}

/** A started server: stop() it in afterAll. */
export interface RunningServer extends ServerAddress {
  name: string
  pid: number
  /** Path of the file holding everything the server wrote to stdout and stderr. */
  logFile: string
  /** Milliseconds from spawn to the first healthy answer. */
  startupMs: number
  /** The server's output so far (the last 1 MB). */
  logs(): string
  /** SIGTERM to the whole process group, SIGKILL after the grace period; resolves when all are gone. */
  stop(): Promise<void>
}

const LOG_CAP = 1 << 20
const live = new Set<number>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // A crashed test file must not leave servers behind holding ports and memory.
  process.once('exit', () => {
    for (const pid of live) killGroup(pid, 'SIGKILL')
  })
}

function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}

async function waitGroupGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (!killGroup(pid, 0)) return true
    await sleep(100)
  }
  return !killGroup(pid, 0)
}

/** The last `lines` lines of a log, for error messages. */
export function tail(text: string, lines = 60): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

async function healthy(options: StartServerOptions, address: ServerAddress): Promise<boolean> {
  try {
    if (typeof options.health === 'function') return await options.health(address)
    const url = options.health.replaceAll('{port}', String(address.port))
    const response = await request(url, { headersTimeout: 5_000, bodyTimeout: 5_000 })
    await response.body.dump()
    return response.statusCode >= 200 && response.statusCode < 300
  } catch {
    return false
  }
}

/**
 * Starts a server as the leader of its own process group on 127.0.0.1, waits until it is healthy,
 * and returns a handle. On timeout or early exit it kills the group, prints the server's log and
 * throws: a server that cannot start fails the test loudly.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const port = options.port ?? (await freePort())
  const sub = (s: string) => s.replaceAll('{port}', String(port))
  const address: ServerAddress = { url: `http://127.0.0.1:${port}`, port }
  const logDir = path.join(integrationDir, 'logs')
  mkdirSync(logDir, { recursive: true })
  const logFile = path.join(logDir, `${options.name}-${port}.log`)
  const file = createWriteStream(logFile)
  let buffer = ''
  const append = (chunk: Buffer) => {
    file.write(chunk)
    buffer += chunk.toString('utf8')
    if (buffer.length > LOG_CAP) buffer = buffer.slice(-LOG_CAP)
  }

  const env: Record<string, string | undefined> = { ...process.env }
  for (const [key, value] of Object.entries(options.env ?? {})) env[key] = sub(value)
  const child = spawn(options.command, (options.args ?? []).map(sub), {
    cwd: options.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.on('data', append)
  child.stderr.on('data', append)
  let exited: string | undefined
  let spawnError: Error | undefined
  child.once('error', (error) => {
    spawnError = error
  })
  child.once('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`
  })
  await new Promise<void>((resolve) => {
    child.once('spawn', resolve)
    child.once('error', () => resolve())
  })
  if (spawnError || child.pid === undefined) {
    file.end()
    throw new Error(
      `${options.name}: could not start '${options.command}': ${spawnError?.message ?? 'no pid'}`,
    )
  }
  const pid = child.pid
  live.add(pid)
  installExitHook()

  let stopped: Promise<void> | undefined
  const stop = () => {
    stopped ??= (async () => {
      const t0 = Date.now()
      let how = 'SIGTERM'
      killGroup(pid, 'SIGTERM')
      if (!(await waitGroupGone(pid, options.stopGraceMs ?? 10_000))) {
        how = 'SIGKILL after the grace period'
        killGroup(pid, 'SIGKILL')
        await waitGroupGone(pid, 5_000)
      }
      console.info(`${options.name} stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s (${how})`)
      live.delete(pid)
      await new Promise<void>((resolve) => file.end(resolve))
      await options.onStop?.()
    })()
    return stopped
  }
  const started = Date.now()
  const server: RunningServer = {
    ...address,
    name: options.name,
    pid,
    logFile,
    startupMs: 0,
    logs: () => buffer,
    stop,
  }

  const timeoutMs = options.timeoutMs ?? 120_000
  let delay = 100
  for (;;) {
    if (exited !== undefined) {
      await stop()
      throw failure(`${options.name} exited during startup (${exited})`)
    }
    if (await healthy(options, address)) {
      server.startupMs = Date.now() - started
      console.info(
        `${options.name} ready at ${address.url} in ${(server.startupMs / 1000).toFixed(1)} s (log ${logFile})`,
      )
      return server
    }
    if (Date.now() - started > timeoutMs) {
      await stop()
      throw failure(`${options.name} was not healthy after ${Math.round(timeoutMs / 1000)} s`)
    }
    await sleep(delay)
    delay = Math.min(delay * 2, 1_000)
  }

  function failure(reason: string): Error {
    const text = tail(buffer)
    console.error(
      `--- ${options.name} log (${logFile}) ---\n${text}\n--- end of ${options.name} log ---`,
    )
    return new Error(
      `${reason}; command: ${options.command} ${(options.args ?? []).map(sub).join(' ')}\nlog tail:\n${text}`,
    )
  }
}
