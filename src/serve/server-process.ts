import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** A server started detached: it outlives the process that started it (the action's main step). */
export interface DetachedServer {
  pid: number
  logFile: string
  /** Resolves with 'exit code N' or 'signal S' if the process ends while we still hold it. */
  exited: Promise<string>
}

/**
 * Starts `argv` as the leader of a new process group (setsid), stdout and stderr appended to
 * `logFile`, stdin closed. No shell is involved: argv[0] is executed directly.
 */
export async function startDetached(
  argv: readonly string[],
  options: { logFile: string; env: Readonly<Record<string, string | undefined>>; cwd: string },
): Promise<DetachedServer> {
  const [command, ...args] = argv
  if (command === undefined) throw new Error('empty server command')
  mkdirSync(path.dirname(options.logFile), { recursive: true })
  const fd = openSync(options.logFile, 'a')
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    })
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) =>
        resolve(signal ? `signal ${signal}` : `exit code ${code}`),
      )
      child.once('error', (error) => resolve(`could not start: ${error.message}`))
    })
    const started = await Promise.race([
      new Promise<true>((resolve) => child.once('spawn', () => resolve(true))),
      exited,
    ])
    if (started !== true || child.pid === undefined)
      throw new Error(`'${command}' ${String(started)}`)
    child.unref()
    return { pid: child.pid, logFile: options.logFile, exited }
  } finally {
    closeSync(fd)
  }
}

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch (error) {
    // EPERM means it exists but belongs to someone else: alive as far as waiting goes.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

/**
 * Stops the process group led by `pid`: SIGTERM, then SIGKILL after `graceMs`. Returns how it ended:
 * 'not-running' (nothing to stop), 'terminated' (exited on SIGTERM) or 'killed'.
 */
export async function stopGroup(
  pid: number,
  graceMs: number,
): Promise<'not-running' | 'terminated' | 'killed'> {
  if (!groupAlive(pid)) return 'not-running'
  signalGroup(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return 'terminated'
    await sleep(100)
  }
  signalGroup(pid, 'SIGKILL')
  for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100)
  return 'killed'
}

/** The last `lines` lines of a log file ('' when it does not exist), read from its last 64 KB. */
export function logTail(file: string, lines = 40): string {
  try {
    const size = statSync(file).size
    const text = readFileSync(file)
      .subarray(Math.max(0, size - 65_536))
      .toString('utf8')
    return text.trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}
