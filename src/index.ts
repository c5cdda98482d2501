// The only file with side effects: dispatch to the CLI (bin/llmops.js sets LLMOPS_ENTRY) or the action.
import { runAction } from './action/main.js'
import { runCli } from './cli/main.js'

if (process.env.LLMOPS_ENTRY === 'cli') {
  delete process.env.LLMOPS_ENTRY
  const controller = new AbortController()
  const stop = () => controller.abort(new Error('interrupted'))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  })
  process.exitCode = code
} else {
  await runAction()
}
