import { existsSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { pathToFileURL } from 'node:url'
import { z } from 'zod'
import { ConfigurationError } from '../errors.js'
import type { CaseInput, CaseMetric, MetricValue } from './types.js'

export const customOptionsSchema = z.strictObject({
  module: z.string().min(1).describe('A JS module (ESM), relative to the config file.'),
  export: z.string().min(1).default('default'),
  name: z.string().min(1).optional(),
})

type CustomFn = (input: CaseInput) => number | boolean | null | Record<string, MetricValue>

/** A case metric from a user's module, imported before the run (`prepare`). */
export interface CustomMetric extends CaseMetric {
  prepare(): Promise<void>
}

function normalise(name: string, out: unknown): Record<string, MetricValue> {
  if (typeof out === 'number' || typeof out === 'boolean' || out === null) return { [name]: out }
  if (out && typeof out === 'object' && !('then' in out)) {
    const rec: Record<string, MetricValue> = {}
    for (const [k, v] of Object.entries(out as Record<string, unknown>)) {
      if (typeof v !== 'number' && typeof v !== 'boolean' && v !== null)
        throw new Error(`custom metric ${name}: value of ${k} is not a number, boolean or null`)
      rec[k] = v
    }
    return rec
  }
  throw new Error(
    `custom metric ${name} must return a number, boolean, null or an object of them synchronously`,
  )
}

/**
 * `{ custom: { module: "./metrics/my.js", export: "score" } }`: the export is called with the case
 * input and returns a value or an object of values. The module is loaded with dynamic import
 * relative to the config directory.
 */
export function customMetric(
  spec: z.input<typeof customOptionsSchema>,
  configDir: string,
): CustomMetric {
  const o = customOptionsSchema.parse(spec)
  const name = o.name ?? o.export
  const file = resolvePath(configDir, o.module)
  let fn: CustomFn | undefined
  return {
    kind: 'case',
    name,
    definition: `custom|${o.module}#${o.export}`,
    async prepare() {
      if (fn) return
      if (!existsSync(file)) throw new ConfigurationError(`custom metric module not found: ${file}`)
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
      const f = mod[o.export]
      if (typeof f !== 'function')
        throw new ConfigurationError(`${o.module} has no exported function '${o.export}'`)
      fn = f as CustomFn
    },
    score(input) {
      if (!fn)
        throw new Error(`custom metric ${name} was not prepared (call prepare() before scoring)`)
      return normalise(name, fn(input))
    },
  }
}
