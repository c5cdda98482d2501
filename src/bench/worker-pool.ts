import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ConnectionPool, runJobs, type RunMessage, type WorkerReport } from './runner-core.js'

type Reply = { type: 'report'; report: WorkerReport } | { type: 'error'; message: string }

/** How to start the worker script here: the bundled `bench-worker.js`, compiled JS, or TypeScript via tsx (development). */
function workerSource(): { kind: 'file'; url: URL } | { kind: 'eval'; code: string } | null {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    try {
      const root = path.dirname(createRequire(fileURLToPath(here)).resolve('tsx/package.json'))
      const api = path.join(root, 'dist/esm/api/index.mjs')
      const target = new URL('./worker-entry.ts', here).href
      return {
        kind: 'eval',
        code: `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => m.tsImport(${JSON.stringify(target)}, ${JSON.stringify(here)}))`,
      }
    } catch {
      return null
    }
  }
  for (const name of ['./bench-worker.js', './worker-entry.js']) {
    const url = new URL(name, here)
    if (existsSync(url)) return { kind: 'file', url }
  }
  return null
}

/**
 * The benchmark's client threads. Streams are spread over worker_threads so one event loop never
 * serves more streams than it can stamp promptly; when no worker script can be found (an unusual
 * bundle), batches run on the main thread and `threads` says so.
 */
export class WorkerPool {
  private constructor(
    private readonly workers: Worker[],
    private readonly local: ConnectionPool | null,
  ) {}

  /** True when the batches run on worker threads. */
  get threads(): boolean {
    return this.workers.length > 0
  }

  get size(): number {
    return Math.max(1, this.workers.length)
  }

  static start(count: number): WorkerPool {
    const source = count > 0 ? workerSource() : null
    if (!source) return new WorkerPool([], new ConnectionPool())
    const workers = Array.from({ length: count }, () =>
      source.kind === 'file' ? new Worker(source.url) : new Worker(source.code, { eval: true }),
    )
    return new WorkerPool(workers, null)
  }

  /** Runs one message per worker (or all of them in turn on the main thread) and collects the reports. */
  async run(messages: RunMessage[]): Promise<WorkerReport[]> {
    if (this.local) {
      const local = this.local
      return Promise.all(messages.map((m) => runJobs(m, local)))
    }
    return Promise.all(
      messages.map(
        (message, i) =>
          new Promise<WorkerReport>((resolve, reject) => {
            const worker = this.workers[i % this.workers.length]!
            const onMessage = (reply: Reply) => {
              cleanup()
              if (reply.type === 'report') resolve(reply.report)
              else reject(new Error(`benchmark worker failed: ${reply.message}`))
            }
            const onError = (error: Error) => {
              cleanup()
              reject(error)
            }
            const cleanup = () => {
              worker.off('message', onMessage)
              worker.off('error', onError)
            }
            worker.on('message', onMessage)
            worker.on('error', onError)
            worker.postMessage({ type: 'run', run: message })
          }),
      ),
    )
  }

  async close(): Promise<void> {
    await this.local?.close()
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate().then(() => resolve()), 2000)
            w.once('exit', () => {
              clearTimeout(timer)
              resolve()
            })
            w.postMessage({ type: 'close' })
          }),
      ),
    )
  }
}
