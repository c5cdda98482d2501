import { PassThrough } from 'node:stream'
import { runCli } from '../../src/cli/main.js'

/** What an in-process CLI run printed and returned. */
export interface CliRun {
  code: number
  out: string
  err: string
}

/**
 * Runs `llmops <argv>` in-process (the source, not the bundle) with a given environment and working
 * directory, capturing stdout and stderr.
 */
export async function runCliCaptured(
  argv: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; signal?: AbortSignal } = {},
): Promise<CliRun> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d: Buffer) => (out += d.toString()))
  stderr.on('data', (d: Buffer) => (err += d.toString()))
  const code = await runCli(argv, {
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdout,
    stderr,
    signal: options.signal ?? new AbortController().signal,
  })
  return { code, out, err }
}
