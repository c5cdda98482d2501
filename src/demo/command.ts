import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { benchCommand } from '../bench/command.js'
import { parseCommandArgs } from '../cli/args.js'
import type { Command, CommandContext } from '../cli/command.js'
import type { Logger } from '../core/logger.js'
import { evalCommand } from '../eval/command.js'
import { gateCommand } from '../gate/command.js'
import { startSimServer } from '../sim/server.js'
import { terminalSummary } from './summary.js'
import { demoProfile, writeDemoWorkspace } from './workspace.js'

function prefixed(logger: Logger, tag: string): Logger {
  return {
    debug: (m) => logger.debug(`[${tag}] ${m}`),
    info: (m) => logger.info(`[${tag}] ${m}`),
    warn: (m) => logger.warn(`[${tag}] ${m}`),
    error: (m) => logger.error(`[${tag}] ${m}`),
  }
}

/** Runs one CLI command in-process (same code path as `npx llmops <name>`), failing on exit codes >= 2. */
async function step(ctx: CommandContext, command: Command, argv: string[]): Promise<number> {
  const sink = new PassThrough()
  sink.resume()
  const result = await command.run({
    ...ctx,
    argv,
    stdout: sink,
    logger: prefixed(ctx.logger, command.name),
  })
  if (result.exitCode >= 2)
    throw new Error(`llmops ${command.name} ${argv.join(' ')} exited ${result.exitCode}`)
  return result.exitCode
}

/** `llmops demo`: the whole PR gate offline on the built-in simulated model server. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the whole PR gate offline on the built-in simulated model server',
  usage: 'llmops demo [--out D]',
  async run(ctx) {
    const { values } = parseCommandArgs(this, ctx.argv, {
      out: { type: 'string', default: 'llmops-demo' },
    })
    const out = path.resolve(ctx.cwd, values.out)
    const started = Date.now()
    const sim = await startSimServer({ profile: demoProfile() })
    ctx.logger.info(
      `llmops demo: simulated model server (llmops-sim, not a real model) at ${sim.url}`,
    )
    ctx.logger.info(
      '  serving "baseline" and "candidate", a regressed PR model: 15% wrong answers, slower, rude about one group',
    )
    try {
      const config = await writeDemoWorkspace(path.join(out, 'workspace'), sim.url)
      for (const side of ['baseline', 'candidate']) {
        ctx.logger.info(`== eval (${side}) ==`)
        await step(ctx, evalCommand, [
          '--config',
          config,
          '--provider',
          side,
          '--out',
          path.join(out, side, 'eval'),
          '--no-cache',
        ])
        ctx.logger.info(`== benchmark (${side}) ==`)
        await step(ctx, benchCommand, [
          '--config',
          config,
          '--provider',
          side,
          '--out',
          path.join(out, side, 'bench'),
        ])
      }
      ctx.logger.info('== gate ==')
      await step(ctx, gateCommand, [
        '--baseline',
        path.join(out, 'baseline'),
        '--candidate',
        path.join(out, 'candidate'),
        '--baseline-provider',
        'baseline',
        '--candidate-provider',
        'candidate',
        '--config',
        config,
        '--out',
        path.join(out, 'gate'),
      ])
      const gate = JSON.parse(
        await readFile(path.join(out, 'gate', 'gate.json'), 'utf8'),
      ) as unknown
      const reportPath = path.join(out, 'gate', 'report.md')
      ctx.stdout.write(
        terminalSummary(gate, {
          reportPath: path.relative(ctx.cwd, reportPath) || reportPath,
          seconds: (Date.now() - started) / 1000,
        }),
      )
      // The demo itself succeeded whatever the verdict: it shows a gate catching a regression.
      return {
        exitCode: 0,
        outputs: {
          verdict: String((gate as { verdict?: string }).verdict),
          'report-path': reportPath,
        },
      }
    } finally {
      await sim.close()
    }
  },
}
