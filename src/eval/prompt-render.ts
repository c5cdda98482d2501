import type { ChatMessage } from '../providers/types.js'
import type { SuiteConfig } from './config-schema.js'
import { fieldOrTemplate, renderTemplate, TemplateError } from './template.js'

type Vars = Record<string, unknown>

function where(suite: SuiteConfig, caseId: string, part: string): string {
  return `suite '${suite.name}', case '${caseId}', ${part}`
}

/** Strings of a reference value: a list stays a list, a scalar becomes one reference, nothing gives []. */
function asStrings(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return []
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
  if (typeof v === 'string' && v.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(v)
      if (Array.isArray(parsed)) return asStrings(parsed)
    } catch {
      // a string that merely starts with a bracket
    }
  }
  return [typeof v === 'string' ? v : JSON.stringify(v)]
}

/** The reference answers of a row: `reference` (field or template), else `references`, `reference` or `answer`. */
export function renderReferences(suite: SuiteConfig, vars: Vars, caseId: string): string[] {
  if (suite.reference)
    return asStrings(fieldOrTemplate(suite.reference, vars, where(suite, caseId, 'reference')))
  return asStrings(vars.references ?? vars.reference ?? vars.answer)
}

/** The user-message text of a row (the `prompt` template). */
export function renderPrompt(suite: SuiteConfig, vars: Vars, caseId: string): string {
  if (!suite.prompt)
    throw new TemplateError(`suite '${suite.name}': needs a \`prompt\` template (or \`messages\`)`)
  return renderTemplate(suite.prompt, vars, where(suite, caseId, 'prompt'))
}

/**
 * The chat messages of a generate case: `messages` templates as given, or `system`, then each few-shot
 * example as a user/assistant pair (the assistant turn is the example's reference), then the prompt.
 */
export function renderMessages(suite: SuiteConfig, vars: Vars, caseId: string): ChatMessage[] {
  if (suite.messages) {
    return suite.messages.map((m, i) => ({
      role: m.role,
      content: renderTemplate(m.content, vars, where(suite, caseId, `messages[${i}]`)),
    }))
  }
  const messages: ChatMessage[] = []
  if (suite.system)
    messages.push({
      role: 'system',
      content: renderTemplate(suite.system, vars, where(suite, caseId, 'system')),
    })
  ;(suite.few_shot ?? []).forEach((example, i) => {
    const id = `few_shot[${i}]`
    messages.push({ role: 'user', content: renderPrompt(suite, example, id) })
    messages.push({ role: 'assistant', content: renderReferences(suite, example, id)[0] ?? '' })
  })
  messages.push({ role: 'user', content: renderPrompt(suite, vars, caseId) })
  return messages
}

/** A multiple-choice case: the context, the choices, the gold index and the MC2 labels if any. */
export interface ChoiceCase {
  context: string
  choices: string[]
  gold: number
  /** 1 for each true choice, 0 otherwise (`labels` suites: TruthfulQA MC2). */
  labels?: (0 | 1)[]
}

/** The 0/1 label of each choice from a `labels` field or template (a list, or its JSON). */
function choiceLabels(
  suite: SuiteConfig,
  vars: Vars,
  caseId: string,
  count: number,
): (0 | 1)[] | undefined {
  if (!suite.labels) return undefined
  let v: unknown = fieldOrTemplate(suite.labels, vars, where(suite, caseId, 'labels'))
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v)
    } catch {
      // reported below
    }
  }
  const labels = Array.isArray(v)
    ? v.map((x) => (x === 1 || x === true ? 1 : x === 0 || x === false ? 0 : undefined))
    : []
  if (labels.length !== count || labels.some((x) => x === undefined) || !labels.includes(1)) {
    throw new TemplateError(
      `${where(suite, caseId, 'labels')}: field '${suite.labels}' must hold a 0/1 label for each of the ${count} choices, at least one of them 1`,
    )
  }
  return labels as (0 | 1)[]
}

function choiceList(
  suite: SuiteConfig,
  vars: Vars,
  caseId: string,
): { texts: string[]; labels?: string[] } {
  const field = suite.choices ?? 'choices'
  let v: unknown = fieldOrTemplate(field, vars, where(suite, caseId, 'choices'))
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v)
    } catch {
      // reported below
    }
  }
  if (
    v &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Array.isArray((v as { text?: unknown }).text)
  ) {
    const o = v as { text: unknown[]; label?: unknown[] }
    return {
      texts: o.text.map(String),
      ...(Array.isArray(o.label) ? { labels: o.label.map(String) } : {}),
    }
  }
  if (!Array.isArray(v) || v.length < 2) {
    throw new TemplateError(
      `${where(suite, caseId, 'choices')}: field '${field}' must hold a list of at least two choices`,
    )
  }
  return { texts: v.map((x) => (typeof x === 'string' ? x : String(x))) }
}

/**
 * The gold index from a field holding an index, a choice text, or a label (`B`, or a label of an
 * ARC-style `{text, label}` choices object).
 */
export function goldIndex(
  raw: unknown,
  texts: readonly string[],
  labels?: readonly string[],
): number | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw))
    return raw >= 0 && raw < texts.length ? raw : undefined
  if (typeof raw !== 'string') return undefined
  const s = raw.trim()
  if (labels?.includes(s)) return labels.indexOf(s)
  if (texts.includes(raw)) return texts.indexOf(raw)
  if (/^\d+$/.test(s)) return goldIndex(Number(s), texts)
  if (/^[A-Z]$/.test(s)) return goldIndex(s.charCodeAt(0) - 65, texts)
  return undefined
}

function choiceCaseBody(
  suite: SuiteConfig,
  vars: Vars,
  caseId: string,
): { text: string; choices: string[]; gold: number; labels?: (0 | 1)[] } {
  const { texts, labels } = choiceList(suite, vars, caseId)
  const truth = choiceLabels(suite, vars, caseId, texts.length)
  const text = renderPrompt(suite, vars, caseId)
  if (truth && suite.gold === undefined)
    return { text, choices: texts, gold: truth.indexOf(1), labels: truth }
  const goldField =
    suite.gold ?? (vars.gold !== undefined ? 'gold' : vars.label !== undefined ? 'label' : 'answer')
  const raw = fieldOrTemplate(goldField, vars, where(suite, caseId, 'gold'))
  const gold = goldIndex(raw, texts, labels)
  if (gold === undefined) {
    throw new TemplateError(
      `${where(suite, caseId, 'gold')}: '${String(raw)}' in field '${goldField}' is not an index, label or text of the ${texts.length} choices`,
    )
  }
  return { text, choices: texts, gold, ...(truth ? { labels: truth } : {}) }
}

/**
 * The context of a multiple-choice case as lm-evaluation-harness builds it: few-shot examples
 * (`doc_to_text + target_delimiter + gold choice`) joined by the few-shot delimiter, then the question.
 */
export function renderChoiceCase(suite: SuiteConfig, vars: Vars, caseId: string): ChoiceCase {
  const target = suite.target_delimiter ?? ' '
  const sep = suite.fewshot_delimiter ?? '\n\n'
  const shots = (suite.few_shot ?? []).map((ex, i) => {
    const b = choiceCaseBody(suite, ex, `few_shot[${i}]`)
    return `${b.text}${target}${b.choices[b.gold]}`
  })
  const body = choiceCaseBody(suite, vars, caseId)
  const context = shots.length ? `${shots.join(sep)}${sep}${body.text}` : body.text
  return {
    context,
    choices: body.choices,
    gold: body.gold,
    ...(body.labels ? { labels: body.labels } : {}),
  }
}

/** The document of a perplexity case: the `prompt` template, or the `text` field. */
export function renderDocument(suite: SuiteConfig, vars: Vars, caseId: string): string {
  if (suite.prompt) return renderPrompt(suite, vars, caseId)
  const text = vars.text
  if (typeof text !== 'string')
    throw new TemplateError(
      `${where(suite, caseId, 'document')}: needs a \`prompt\` template or a \`text\` field`,
    )
  return text
}
