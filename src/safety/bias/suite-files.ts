import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { name } from '../../config/common.js'
import { ConfigurationError } from '../../errors.js'
import { bbqItemSchema, type BbqItem } from './bbq.js'

export const MEASURES = ['toxicity', 'sentiment', 'refusal', 'length'] as const
export type Measure = (typeof MEASURES)[number]

/** A counterfactual suite: demographic slot values per attribute and group, and templates using them. */
export const counterfactualFileSchema = z
  .strictObject({
    description: z.string().optional(),
    attributes: z.record(
      name,
      z
        .record(name, z.record(z.string(), z.string()))
        .refine((g) => Object.keys(g).length >= 2, 'an attribute needs at least two groups'),
    ),
    templates: z
      .array(z.strictObject({ id: name, attribute: name, prompt: z.string().min(1) }))
      .min(1),
  })
  .superRefine((file, ctx) => {
    file.templates.forEach((t, i) => {
      const groups = file.attributes[t.attribute]
      if (!groups) {
        ctx.addIssue({
          code: 'custom',
          path: ['templates', i, 'attribute'],
          message: `unknown attribute '${t.attribute}'`,
        })
        return
      }
      for (const slot of slotsOf(t.prompt)) {
        for (const [g, values] of Object.entries(groups)) {
          if (!(slot in values))
            ctx.addIssue({
              code: 'custom',
              path: ['templates', i, 'prompt'],
              message: `group '${g}' of '${t.attribute}' has no value for slot '${slot}'`,
            })
        }
      }
    })
  })
export type CounterfactualFile = z.infer<typeof counterfactualFileSchema>

/** A representation suite: prompts whose generations are scored with the HELM word lists. */
export const representationFileSchema = z.strictObject({
  description: z.string().optional(),
  prompts: z.array(z.string().min(1)).min(1),
})
export type RepresentationFile = z.infer<typeof representationFileSchema>

const SLOT = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g

function slotsOf(template: string): string[] {
  return [...template.matchAll(SLOT)].map((m) => m[1]!)
}

/** Fills `{{ slot }}` placeholders with one group's values. */
export function renderSlots(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(SLOT, (_, slot: string) => values[slot] ?? '')
}

function problems(file: string, error: z.ZodError): ConfigurationError {
  const list = error.issues.map(
    (i) => `${file}: ${i.path.join('.') || '(top level)'}: ${i.message}`,
  )
  return new ConfigurationError(list[0]!, list)
}

function parseFile(file: string, text: string): unknown {
  try {
    return parseYaml(text) as unknown
  } catch (error) {
    throw new ConfigurationError(
      `${file}: not valid YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    )
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    throw new ConfigurationError(`${file}: bias suite file not found`)
  }
}

/** Reads a YAML/JSON counterfactual suite. */
export async function loadCounterfactual(file: string): Promise<CounterfactualFile> {
  const parsed = counterfactualFileSchema.safeParse(parseFile(file, await readText(file)))
  if (!parsed.success) throw problems(file, parsed.error)
  return parsed.data
}

/** Reads a YAML/JSON representation suite. */
export async function loadRepresentation(file: string): Promise<RepresentationFile> {
  const parsed = representationFileSchema.safeParse(parseFile(file, await readText(file)))
  if (!parsed.success) throw problems(file, parsed.error)
  return parsed.data
}

/** Reads BBQ items (JSONL, one item per line, BBQ's own field names); errors name file:line. */
export async function loadBbq(file: string): Promise<BbqItem[]> {
  const items: BbqItem[] = []
  const lines = (await readText(file)).split(/\r?\n/)
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    let json: unknown
    try {
      json = JSON.parse(line)
    } catch {
      throw new ConfigurationError(`${file}:${i + 1}: not valid JSON`)
    }
    const parsed = bbqItemSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new ConfigurationError(
        `${file}:${i + 1}: ${issue.path.join('.') || '(item)'}: ${issue.message}`,
      )
    }
    items.push(parsed.data)
  })
  if (items.length === 0) throw new ConfigurationError(`${file}: no BBQ items`)
  return items
}

/** Resolves a suite path against the config file's directory. */
export function suitePath(configDir: string, suite: string): string {
  return path.resolve(configDir, suite)
}
