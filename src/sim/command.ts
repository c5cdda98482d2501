import path from 'node:path'
import type { Command } from '../cli/command.js'
import { intFlag, parseCommandArgs } from '../cli/args.js'
import { defaultProfileInput, loadProfile } from './profile.js'
import { startSimServer } from './server.js'

const usage = 'llmops sim [--profile F.yaml] [--port P] [--host 127.0.0.1]'

/** `llmops sim`: serve a simulator profile until interrupted, so users can try the tool without a GPU. */
export const simCommand: Command = {
  name: 'sim',
  summary:
    'Serve the simulated OpenAI-compatible model server (for demos and tests; not a real model)',
  usage,
  async run(ctx) {
    const { values } = parseCommandArgs({ name: 'sim', usage }, ctx.argv, {
      profile: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
    })
    const profile = values.profile
      ? await loadProfile(path.resolve(ctx.cwd, values.profile))
      : defaultProfileInput
    const server = await startSimServer({
      profile,
      port: intFlag('port', values.port) ?? 8000,
      host: values.host ?? '127.0.0.1',
    })
    ctx.stdout.write(
      `llmops-sim (simulated model server, not a real model) listening on ${server.url}\n`,
    )
    ctx.stdout.write(
      `models: ${Object.keys('models' in profile ? profile.models : {}).join(', ')}\n`,
    )
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve()
      ctx.signal.addEventListener('abort', () => resolve(), { once: true })
    })
    await server.close()
    return { exitCode: 0, outputs: { url: server.url } }
  },
}
