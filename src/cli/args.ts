import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from '../errors.js'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * Parses a command's arguments strictly (unknown flags are errors) and turns parse failures into a
 * UsageError that names the command and shows its usage.
 */
export function parseCommandArgs<const O extends Options>(
  command: { name: string; usage: string },
  argv: string[],
  options: O,
  { allowPositionals = false }: { allowPositionals?: boolean } = {},
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new UsageError(`llmops ${command.name}: ${message}\nusage: ${command.usage}`)
  }
}

/** Parses an integer flag, or throws a UsageError naming the flag. */
export function intFlag(
  name: string,
  value: string | undefined,
  { min = 0 } = {},
): number | undefined {
  if (value === undefined) return undefined
  if (!/^-?\d+$/.test(value) || Number(value) < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${value}'`)
  }
  return Number(value)
}

/** Parses a number flag, or throws a UsageError naming the flag. */
export function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a number, got '${value}'`)
  return n
}
