/**
 * The simulator in a child process for the latency benchmarks, so its event loop never shares a thread
 * with a client under test. With `pin`, the simulator gets the last core to itself and this process
 * (and every client it spawns) the others, as when the server runs on its own machine.
 */
import { spawn, spawnSync } from 'node:child_process'
import os from 'node:os'
import { parseEndpoint } from '../../src/bench/probe.js'
import { runBenchmark } from '../../src/bench/run.js'
import { memoryLogger } from '../../src/core/logger.js'

export interface SimChild {
  url: string
  origin: string
  stop: () => void
}

export async function startSimChild(
  profile: Record<string, unknown>,
  options: { pin?: boolean } = {},
): Promise<SimChild> {
  const code = `import { startSimServer } from './src/sim/server.ts'; const s = await startSimServer({ profile: ${JSON.stringify(profile)} }); console.log(s.url)`
  const nodeArgs = ['--import', 'tsx', '--input-type=module', '-e', code]
  const last = os.availableParallelism() - 1
  const [exe, args] = options.pin
    ? ['taskset', ['-c', String(last), process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs]
  if (options.pin)
    spawnSync('taskset', ['-a', '-p', '-c', `0-${Math.max(0, last - 1)}`, String(process.pid)])
  const child = spawn(exe, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => resolve(d.toString().trim()))
    child.on('exit', (c) => reject(new Error(`simulator exited ${c}`)))
  })
  return { url, origin: new URL(url).origin, stop: () => child.kill('SIGTERM') }
}

/** The load used by both latency benchmarks: every decode step sends one token to all streams at once. */
export const gridProfile = (ttftMs: number, itlMs: number) => ({
  models: {
    m: {
      default_reply: 'x',
      timing: {
        ttft_ms: ttftMs,
        itl_ms: itlMs,
        aligned: true,
        embed_send_time: true,
        role_chunk: true,
        role_chunk_ms: 0,
      },
    },
  },
})

/** `llmops bench` in this process: one closed-loop run of 2×streams requests against the simulator. */
export function runOurs(
  url: string,
  options: { streams: number; tokens: number; warmup: number; workers?: number | null },
) {
  return runBenchmark(
    [
      {
        name: 'side-by-side',
        loads: [{ mode: 'closed', concurrency: options.streams }],
        requests: options.streams * 2,
        durationS: null,
        warmup: options.warmup,
        inputTokens: 8,
        outputTokens: options.tokens,
        seed: 1,
        slo: undefined,
        dataset: null,
      },
    ],
    {
      endpoint: parseEndpoint(url, 'm', 'chat'),
      timeoutMs: 600_000,
      stallMs: 60_000,
      workers: options.workers ?? null,
      calibrate: false,
      maxErrorRate: 0.01,
      logger: memoryLogger(),
      signal: new AbortController().signal,
    },
  )
}
