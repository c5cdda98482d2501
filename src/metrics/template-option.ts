import { Template } from '@huggingface/jinja'

/** A metric option that may be a Jinja template rendered per case from the dataset row. */
export interface TemplatedString {
  /** The option's text for one case. */
  render(vars: Record<string, unknown>): string
  /** The text as written in the config (for the metric's definition string). */
  source: string
}

/**
 * Compiles an option once. Only text containing `{{` or `{%` is treated as a template, so regular
 * expressions with `{2,3}` quantifiers stay as written.
 */
export function templatedString(source: string): TemplatedString {
  if (!source.includes('{{') && !source.includes('{%')) return { source, render: () => source }
  const template = new Template(source)
  return { source, render: (vars) => template.render(vars) }
}
