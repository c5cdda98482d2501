import { createReadStream, existsSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { createInterface } from 'node:readline'
import { parseCommandArgs } from '../cli/args.js'
import type { Command, CommandContext, CommandResult } from '../cli/command.js'
import { didYouMean } from '../core/did-you-mean.js'
import { ExitCode, UsageError } from '../errors.js'
import { METRIC_NAMES } from './registry.js'
import { ROUGE_TYPES } from './rouge.js'
import { OFFLINE_METRICS, scoreCorpus, scoreLine, type ScoreLine } from './score-lines.js'

const USAGE = 'llmops score --metric M [--input F.jsonl] [--corpus] [--stemmer]'

/** Validates one parsed JSONL value as a score input line, or says what is wrong. */
function toScoreLine(value: unknown): ScoreLine | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'expected a JSON object'
  const v = value as Record<string, unknown>
  if (typeof v.prediction !== 'string') return '"prediction" must be a string'
  if (
    !Array.isArray(v.references) ||
    v.references.length === 0 ||
    !v.references.every((r) => typeof r === 'string')
  ) {
    return '"references" must be a non-empty array of strings'
  }
  const line: ScoreLine = { prediction: v.prediction, references: v.references }
  if (v.vars !== undefined) {
    if (!v.vars || typeof v.vars !== 'object' || Array.isArray(v.vars))
      return '"vars" must be an object'
    line.vars = v.vars as Record<string, unknown>
  }
  return line
}

async function* readLines(
  ctx: CommandContext,
  file: string | undefined,
): AsyncGenerator<[number, string]> {
  const input = file ? createReadStream(file, { encoding: 'utf8' }) : (ctx.stdin ?? process.stdin)
  const rl = createInterface({ input, crlfDelay: Infinity })
  let n = 0
  for await (const line of rl) yield [++n, line]
}

/** `llmops score`: scores existing outputs offline with a reference-exact metric, JSONL to stdout. */
export const scoreCommand: Command = {
  name: 'score',
  summary: 'Score existing outputs offline with a reference-exact metric',
  usage: USAGE,
  async run(ctx): Promise<CommandResult> {
    const { values } = parseCommandArgs(this, ctx.argv, {
      metric: { type: 'string' },
      input: { type: 'string' },
      corpus: { type: 'boolean', default: false },
      stemmer: { type: 'boolean', default: false },
    })
    const metric = values.metric
    if (!metric) throw new UsageError(`llmops score: --metric is required\nusage: ${USAGE}`)
    const known = new Set<string>([...OFFLINE_METRICS, ...METRIC_NAMES])
    if (!known.has(metric)) {
      const guess = didYouMean(metric, known)
      throw new UsageError(
        `llmops score: unknown metric '${metric}'.${guess ? ` Did you mean '${guess}'?` : ''} Metrics: ${OFFLINE_METRICS.join(', ')}`,
      )
    }
    if (values.stemmer && !(ROUGE_TYPES as readonly string[]).includes(metric)) {
      throw new UsageError(
        'llmops score: --stemmer applies to ROUGE metrics only (METEOR always stems)',
      )
    }
    const file = values.input === undefined ? undefined : resolvePath(ctx.cwd, values.input)
    if (file && !existsSync(file))
      throw new UsageError(`llmops score: input file not found: ${file}`)
    const where = values.input ?? '<stdin>'
    const options = { stemmer: values.stemmer }
    const lines: [number, ScoreLine][] = []
    const write = (obj: unknown) => ctx.stdout.write(`${JSON.stringify(obj)}\n`)
    for await (const [n, text] of readLines(ctx, file)) {
      if (text.trim() === '') continue
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch (error) {
        throw new UsageError(
          `${where}:${n}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        )
      }
      const line = toScoreLine(parsed)
      if (typeof line === 'string') throw new UsageError(`${where}:${n}: ${line}`)
      lines.push([n, line])
    }
    // Every line is validated before the first output, so a malformed file writes nothing.
    if (!values.corpus) {
      for (const [n, line] of lines) {
        try {
          write(scoreLine(metric, line, options))
        } catch (error) {
          throw new UsageError(
            `${where}:${n}: ${error instanceof Error ? error.message : String(error)}`,
          )
        }
      }
    }
    if (values.corpus)
      write(
        scoreCorpus(
          metric,
          lines.map(([, l]) => l),
          options,
        ),
      )
    return { exitCode: ExitCode.ok }
  },
}
