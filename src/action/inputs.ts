import { UsageError } from '../errors.js'
import type { ActionSpec } from './io.js'

/**
 * Turns a sub-action's inputs into the argv and environment of its CLI command, so the action and
 * `npx llmops` run the same code. Empty inputs count as unset; an unset input falls back to the
 * registry default (the root action.yml cannot declare per-command defaults), and an unset required
 * input is a usage error.
 */
export function inputsToArgv(
  spec: ActionSpec,
  getInput: (name: string) => string,
): { argv: string[]; env: Record<string, string> } {
  const argv: string[] = []
  const env: Record<string, string> = {}
  for (const [name, input] of Object.entries(spec.inputs)) {
    let value = getInput(name).trim()
    // Expression defaults such as ${{ github.token }} are only meaningful inside action.yml.
    if (value === '' && input.default !== undefined && !input.default.includes('${{'))
      value = input.default
    if (value === '') {
      if (input.required) throw new UsageError(`input '${name}' is required for ${spec.name}`)
      continue
    }
    if (input.env) {
      env[input.env] = value
    } else if (input.flag && input.boolean) {
      if (value === 'true') argv.push(input.flag)
      else if (value !== 'false')
        throw new UsageError(`input '${name}' must be 'true' or 'false', got '${value}'`)
    } else if (input.flag) {
      argv.push(`${input.flag}=${value}`)
    }
  }
  return { argv, env }
}
