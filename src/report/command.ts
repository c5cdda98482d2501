import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { parseCommandArgs } from '../cli/args.js'
import type { Command, CommandContext, CommandResult } from '../cli/command.js'
import { gateSchema } from '../contracts/gate.js'
import { ConfigurationError, UsageError } from '../errors.js'
import { githubDeps, maybePublish, type GateDeps } from '../gate/command.js'
import { readPullRequestRef } from './pr-context.js'
import { JOB_SUMMARY_BYTES } from './write-outputs.js'

const USAGE = 'llmops report --gate D [--comment] [--check] [--new-comment] [--pr N] [--sha SHA]'

/** Builds `llmops report` over the given publisher (tests pass one bound to the GitHub double). */
export function createReportCommand(deps: Partial<Pick<GateDeps, 'publisher'>> = {}): Command {
  const publisher = deps.publisher ?? githubDeps.publisher
  return {
    name: 'report',
    summary: 'Post the gate report as the sticky PR comment and the check run',
    usage: USAGE,
    run: (ctx) => runReport(ctx, publisher),
  }
}

/**
 * `llmops report`: posts what `llmops gate --out D` wrote (report.md, check-summary.md, gate.json).
 * Use it on a directory this workflow produced; for results from an untrusted run, run `llmops gate`
 * on them instead, so the Markdown is rendered and escaped by trusted code.
 */
export const reportCommand = createReportCommand()

async function runReport(
  ctx: CommandContext,
  publisher: GateDeps['publisher'],
): Promise<CommandResult> {
  const { values } = parseCommandArgs({ name: 'report', usage: USAGE }, ctx.argv, {
    gate: { type: 'string' },
    comment: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    'new-comment': { type: 'boolean', default: false },
    pr: { type: 'string' },
    sha: { type: 'string' },
  })
  if (!values.gate) throw new UsageError(`llmops report: --gate is required\nusage: ${USAGE}`)
  const dir = path.resolve(ctx.cwd, values.gate)
  const read = async (name: string) => {
    try {
      return await readFile(path.join(dir, name), 'utf8')
    } catch {
      throw new ConfigurationError(
        `${path.join(dir, name)} not found: run 'llmops gate --out ${values.gate}' first`,
      )
    }
  }
  const parsed = gateSchema.safeParse(JSON.parse(await read('gate.json')))
  if (!parsed.success)
    throw new ConfigurationError(
      `${path.join(dir, 'gate.json')}: not a gate.json (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    )
  const gate = parsed.data
  const comment = await read('report.md')
  const conclusion =
    gate.conclusion === 'success' || gate.conclusion === 'failure' || gate.conclusion === 'neutral'
      ? gate.conclusion
      : gate.verdict === 'pass'
        ? 'success'
        : gate.verdict === 'fail'
          ? 'failure'
          : 'neutral'
  const name = typeof gate.name === 'string' ? gate.name : 'llmops'
  // report.md starts with the marker lines the comment adapter adds itself.
  const body = comment.replace(/^(<!-- llmops:[^\n]*-->\n)+/, '')
  const prNumber = values.pr === undefined ? undefined : Number(values.pr)
  const pr = await readPullRequestRef(ctx.env, {
    pr: Number.isInteger(prNumber) ? prNumber : undefined,
    sha: values.sha,
  })
  await maybePublish(ctx, { publisher }, pr, {
    comment: values.comment,
    check: values.check,
    publication: {
      name,
      conclusion,
      verdict: gate.verdict,
      headline: typeof gate.headline === 'string' ? gate.headline : gate.verdict,
      commentBody: body,
      checkSummary: await read('check-summary.md'),
      annotations: Array.isArray(gate.annotations) ? (gate.annotations as never[]) : [],
      mode: values['new-comment'] ? 'new' : 'sticky',
    },
  })
  const full = path.join(dir, 'report-full.md')
  const fullSize = (await stat(full).catch(() => null))?.size ?? Infinity
  return {
    exitCode: 0,
    outputs: { verdict: gate.verdict, 'report-path': path.join(dir, 'report.md') },
    summary: fullSize <= JOB_SUMMARY_BYTES ? await readFile(full, 'utf8') : body,
  }
}
