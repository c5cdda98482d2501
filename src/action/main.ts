import * as core from '@actions/core'
import type { Command, CommandContext } from '../cli/command.js'
import { findCommand } from '../cli/registry.js'
import type { Logger } from '../core/logger.js'
import { getErrorMessage } from '../errors.js'
import { inputsToArgv } from './inputs.js'
import { actionIo, type ActionName } from './io.js'

const POST_STATE = 'llmops-post-command'
// Saved by every main step: the root action.yml declares `post:` for all commands, so the post step
// must tell itself apart from a main step and do nothing unless its command has a post.
const MAIN_RAN = 'llmops-main-ran'

function actionLogger(): Logger {
  return { debug: core.debug, info: core.info, warn: core.warning, error: core.error }
}

function context(argv: string[], env: Record<string, string>): CommandContext {
  return {
    argv,
    env: { ...process.env, ...env },
    cwd: process.cwd(),
    stdout: process.stdout,
    logger: actionLogger(),
    signal: AbortSignal.timeout(6 * 60 * 60 * 1000),
    inAction: true,
  }
}

function resolve(name: string): { command: Command; argv: string[]; env: Record<string, string> } {
  if (!(name in actionIo)) {
    throw new Error(
      `unknown command input '${name}'; expected one of ${Object.keys(actionIo).join(', ')}`,
    )
  }
  const spec = actionIo[name as ActionName]
  const command = findCommand(spec.command)
  if (!command)
    throw new Error(`internal: sub-action '${name}' maps to unknown command '${spec.command}'`)
  return { command, ...inputsToArgv(spec, (input) => core.getInput(input)) }
}

/** The action entry: runs the sub-action named by the `command` input, or its post step. */
export async function runAction(): Promise<void> {
  try {
    if (core.getState(MAIN_RAN) === 'true') {
      const postFor = core.getState(POST_STATE)
      if (!postFor) return
      const { command, argv, env } = resolve(postFor)
      const state = JSON.parse(core.getState('llmops-state') || '{}') as Record<string, string>
      await command.post?.(context(argv, env), state)
      return
    }
    core.saveState(MAIN_RAN, 'true')
    const name = core.getInput('command', { required: true })
    const { command, argv, env } = resolve(name)
    const result = await command.run(context(argv, env))
    for (const [key, value] of Object.entries(result.outputs ?? {})) core.setOutput(key, value)
    if (result.summary) await core.summary.addRaw(result.summary, true).write()
    if (command.post) {
      core.saveState(POST_STATE, name)
      core.saveState('llmops-state', JSON.stringify(result.state ?? {}))
    }
    if (result.exitCode === 1)
      core.setFailed(`llmops ${command.name}: the gate failed (see the report).`)
    else if (result.exitCode !== 0)
      core.setFailed(`llmops ${command.name} exited with code ${result.exitCode}.`)
  } catch (error) {
    core.setFailed(getErrorMessage(error))
  }
}
