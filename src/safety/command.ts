import { readFile } from 'node:fs/promises'
import { resolve as resolvePath } from 'node:path'
import { parseCommandArgs } from '../cli/args.js'
import type { Command, CommandResult } from '../cli/command.js'
import { loadConfig } from '../config/load.js'
import { ConfigurationError, UsageError } from '../errors.js'
import { createModelClient } from '../providers/openai-client.js'
import { toxicitySchema, type ToxicityConfig } from './config-schema.js'
import { detectPii } from './pii/detect-pii.js'
import { createToxicityScorer } from './scorers/create-scorer.js'

const USAGE =
  'llmops safety --input F.jsonl [--scorer lexicon|moderation|llama-guard|classifier] [--config F]'
const SCORERS = ['lexicon', 'moderation', 'llama-guard', 'classifier'] as const
const BATCH = 64

interface InputLine {
  output: string
  prompt?: string
}

/** Parses the input file: one `{"output": "...", "prompt"?: "..."}` per line; a bad line is exit 2 with file:line. */
export function parseSafetyInput(text: string, where: string): InputLine[] {
  const lines: InputLine[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return
    let v: unknown
    try {
      v = JSON.parse(raw)
    } catch {
      throw new ConfigurationError(`${where}:${i + 1}: not valid JSON`)
    }
    const o = v as { output?: unknown; prompt?: unknown } | null
    if (!o || typeof o !== 'object' || Array.isArray(o))
      throw new ConfigurationError(`${where}:${i + 1}: expected a JSON object`)
    if (typeof o.output !== 'string')
      throw new ConfigurationError(`${where}:${i + 1}: "output" must be a string`)
    if (o.prompt !== undefined && typeof o.prompt !== 'string')
      throw new ConfigurationError(`${where}:${i + 1}: "prompt" must be a string`)
    lines.push(
      o.prompt === undefined ? { output: o.output } : { output: o.output, prompt: o.prompt },
    )
  })
  return lines
}

/**
 * `llmops safety`: scores existing outputs for toxicity (the configured or `--scorer` scorer) and
 * PII leakage; one JSON line per input line to stdout:
 * `{"toxic", "toxicity", "categories", "pii": [{"kind", "span": [start, end]}]}` (UTF-16 spans).
 */
export const safetyCommand: Command = {
  name: 'safety',
  summary: 'Score existing outputs for toxicity and PII leakage',
  usage: USAGE,
  async run(ctx): Promise<CommandResult> {
    const { values } = parseCommandArgs(this, ctx.argv, {
      input: { type: 'string' },
      scorer: { type: 'string' },
      config: { type: 'string' },
    })
    if (!values.input) throw new UsageError(`llmops safety: --input is required\nusage: ${USAGE}`)
    if (values.scorer !== undefined && !(SCORERS as readonly string[]).includes(values.scorer)) {
      throw new UsageError(
        `llmops safety: --scorer must be one of ${SCORERS.join(', ')}, got '${values.scorer}'`,
      )
    }
    const loaded = values.config ? await loadConfig(values.config, ctx.env, ctx.cwd) : undefined
    const base: ToxicityConfig = loaded?.config.safety?.toxicity ?? toxicitySchema.parse({})
    const tox: ToxicityConfig = values.scorer
      ? { ...base, scorer: values.scorer as ToxicityConfig['scorer'] }
      : base
    const providers = loaded?.config.providers ?? {}
    if (tox.scorer !== 'lexicon' && tox.scorer !== 'classifier' && !loaded) {
      throw new UsageError(
        `llmops safety: --scorer ${tox.scorer} needs --config with safety.toxicity.provider`,
      )
    }
    const scorer = createToxicityScorer(tox, {
      providers,
      env: ctx.env,
      clientFor: (name) => createModelClient(name, providers[name]!, { env: ctx.env }),
    })
    const ipAddresses = loaded?.config.safety?.pii?.ip_addresses ?? false

    let text: string
    try {
      text = await readFile(resolvePath(ctx.cwd, values.input), 'utf8')
    } catch {
      throw new UsageError(`llmops safety: input file not found: ${values.input}`)
    }
    const lines = parseSafetyInput(text, values.input)
    let toxic = 0
    let findings = 0
    for (let i = 0; i < lines.length; i += BATCH) {
      const batch = lines.slice(i, i + BATCH)
      const verdicts = await scorer.score(
        batch.map((l) => l.output),
        ctx.signal,
        batch.map((l) => l.prompt),
      )
      batch.forEach((line, j) => {
        const v = verdicts[j]!
        const pii = detectPii(line.output, { ipAddresses }).map((f) => ({
          kind: f.kind,
          span: f.span,
        }))
        if (v.toxic) toxic++
        findings += pii.length
        ctx.stdout.write(
          `${JSON.stringify({ toxic: v.toxic, toxicity: v.toxicity, categories: v.categories, pii })}\n`,
        )
      })
    }
    ctx.logger.info(
      `safety (${scorer.name}): ${toxic} of ${lines.length} outputs toxic, ${findings} PII findings`,
    )
    return {
      exitCode: 0,
      outputs: { toxic: String(toxic), total: String(lines.length), pii: String(findings) },
      summary: `Safety (${scorer.name}): ${toxic} of ${lines.length} outputs toxic, ${findings} PII findings.`,
    }
  },
}
