import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

const FENCE = /^\s*```(?:json|JSON)?\s*\n([\s\S]*?)\n?```\s*$/

/** The JSON text of an answer: the whole answer, or the body of one fenced code block when `extract` is on. */
export function jsonText(prediction: string, extract: boolean): string {
  if (!extract) return prediction
  const m = FENCE.exec(prediction)
  return m ? (m[1] ?? '') : prediction
}

/** Parses the answer as JSON; `undefined` when it is not valid JSON. */
export function parseJsonAnswer(
  prediction: string,
  extract = false,
): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(jsonText(prediction, extract)) as unknown }
  } catch {
    return undefined
  }
}

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv

/** Compiles a JSON Schema once (all errors, formats on); throws with ajv's message if the schema is invalid. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats(ajv)
  return ajv.compile(schema)
}

/** Validates an answer against a compiled schema: `{valid, errors}`; invalid JSON is not conforming. */
export function checkJsonSchema(
  prediction: string,
  validate: ValidateFunction,
  extract = false,
): { valid: boolean; errors: string[] } {
  const parsed = parseJsonAnswer(prediction, extract)
  if (!parsed) return { valid: false, errors: ['not valid JSON'] }
  const valid = validate(parsed.value)
  return {
    valid,
    errors: (validate.errors ?? []).map((e) =>
      `${e.instancePath || '/'} ${e.message ?? ''}`.trim(),
    ),
  }
}
