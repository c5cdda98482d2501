import type { ActionSpec } from './io.js'

/**
 * Turns a sub-action's inputs into the argv and environment of its CLI command, so the action and
 * `npx llmops` run the same code. Empty inputs count as unset.
 */
export function inputsToArgv(
  spec: ActionSpec,
  getInput: (name: string) => string,
): { argv: string[]; env: Record<string, string> } {
  const argv: string[] = []
  const env: Record<string, string> = {}
  for (const [name, input] of Object.entries(spec.inputs)) {
    const value = getInput(name).trim()
    if (value === '') continue
    if (input.env) {
      env[input.env] = value
    } else if (input.flag && input.boolean) {
      if (value === 'true') argv.push(input.flag)
      else if (value !== 'false') throw new Error(`input '${name}' must be 'true' or 'false', got '${value}'`)
    } else if (input.flag) {
      argv.push(`${input.flag}=${value}`)
    }
  }
  return { argv, env }
}
