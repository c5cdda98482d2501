import { parentPort } from 'node:worker_threads'
import { ConnectionPool, runJobs, type RunMessage } from './runner-core.js'

/** Worker-thread entry of the benchmark client: runs batches sent by the pool until told to close. */
const pool = new ConnectionPool()
parentPort?.on('message', (message: { type: 'run'; run: RunMessage } | { type: 'close' }) => {
  if (message.type === 'close') {
    void pool.close().then(() => parentPort?.close())
    return
  }
  runJobs(message.run, pool).then(
    (report) => parentPort?.postMessage({ type: 'report', report }),
    (error: unknown) =>
      parentPort?.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      }),
  )
})
