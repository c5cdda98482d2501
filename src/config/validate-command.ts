import { parseCommandArgs } from '../cli/args.js'
import type { Command } from '../cli/command.js'
import { loadConfig } from './load.js'

/** `llmops validate`: check a configuration file and print every problem with file:line:col. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check the configuration file and report every problem with file:line:col',
  usage: 'llmops validate [--config F]',
  async run(ctx) {
    const { values } = parseCommandArgs(this, ctx.argv, {
      config: { type: 'string', default: '.github/llmops.yml' },
    })
    const { config, file } = await loadConfig(values.config, ctx.env, ctx.cwd)
    const counts = [
      `${Object.keys(config.providers).length} provider(s)`,
      `${config.suites.length} suite(s)`,
      `${config.benchmark?.scenarios.length ?? 0} benchmark scenario(s)`,
      `${config.gates.length} gate(s)`,
    ]
    ctx.stdout.write(`${file}: ok (${counts.join(', ')})\n`)
    return { exitCode: 0 }
  },
}
