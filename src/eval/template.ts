import { Template } from '@huggingface/jinja'
import { getErrorMessage } from '../errors.js'

/** A template that failed to parse or render; the message names the suite and the case. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TemplateError'
  }
}

const compiled = new Map<string, Template>()

/** Whether a string is a Jinja template rather than a plain field name. */
export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%')
}

/** Parses a template once (the same text is compiled only once per process). */
export function compileTemplate(source: string, where: string): Template {
  let t = compiled.get(source)
  if (!t) {
    try {
      t = new Template(source)
    } catch (error) {
      throw new TemplateError(`${where}: template does not parse: ${getErrorMessage(error)}`)
    }
    compiled.set(source, t)
  }
  return t
}

/**
 * Renders a Jinja template (the dialect lm-evaluation-harness and chat templates use) against a case's
 * fields. Undefined variables render as empty strings, as in Jinja's default mode.
 */
export function renderTemplate(
  source: string,
  vars: Record<string, unknown>,
  where: string,
): string {
  const template = compileTemplate(source, where)
  try {
    return template.render(vars)
  } catch (error) {
    throw new TemplateError(`${where}: template error: ${getErrorMessage(error)}`)
  }
}

/**
 * A value named in config as a field (`answer`) or a template (`{{ answer | upper }}`): a field keeps
 * its type (lists stay lists), a template gives a string.
 */
export function fieldOrTemplate(
  spec: string,
  vars: Record<string, unknown>,
  where: string,
): unknown {
  if (isTemplate(spec)) return renderTemplate(spec, vars, where)
  return vars[spec]
}
