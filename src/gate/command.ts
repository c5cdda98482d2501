import { stat } from 'node:fs/promises'
import path from 'node:path'
import { parseCommandArgs } from '../cli/args.js'
import type { Command, CommandContext, CommandResult } from '../cli/command.js'
import { loadConfig } from '../config/load.js'
import { ConfigurationError, getErrorMessage, InfrastructureError, UsageError } from '../errors.js'
import { createGitHubClient } from '../github/client.js'
import { githubPublisher } from '../report/github-publisher.js'
import { readPullRequestRef, type PullRequestRef } from '../report/pr-context.js'
import { publish, type Publisher } from '../report/publish.js'
import { renderGateTexts, writeGateOutputs } from '../report/write-outputs.js'
import type { CheckProvider } from './check-provider.js'
import { safetyCheckProvider } from '../safety/compare.js'
import { checkProviders, claimedByProviders } from './check-providers.js'
import { gateOptionsSchema, type GateOptions, type GateRule } from './config-schema.js'
import { githubMergeBaseArtifacts } from './github-artifacts.js'
import { resolveMergeBaseBaseline, type MergeBaseArtifacts } from './merge-base.js'
import { exitCodeFor } from './outcome.js'
import { runGate } from './run-gate.js'
import { resolveSides } from './sides.js'

/** GitHub-facing dependencies, built at the edge so tests and the CLI can swap them. */
export interface GateDeps {
  publisher(ctx: CommandContext): Promise<Publisher>
  artifacts(ctx: CommandContext): Promise<MergeBaseArtifacts>
  providers: readonly CheckProvider[]
  now(): Date
}

/** The real GitHub dependencies, from GITHUB_TOKEN and GITHUB_API_URL in the command's environment. */
export const githubDeps: Pick<GateDeps, 'publisher' | 'artifacts'> = {
  publisher: (ctx) =>
    Promise.resolve(githubPublisher(createGitHubClient(ctx.env, ctx.logger), ctx.logger)),
  artifacts: (ctx) =>
    Promise.resolve(githubMergeBaseArtifacts(createGitHubClient(ctx.env, ctx.logger))),
}

const USAGE =
  'llmops gate --baseline D|merge-base --candidate D [--config F] [--out D] [--baseline-provider P] [--candidate-provider P] ' +
  '[--name N] [--on-inconclusive pass|fail|neutral] [--comment] [--check] [--new-comment] [--pr N] [--sha SHA]'

/** Builds `llmops gate` over the given GitHub dependencies. */
export function createGateCommand(deps: Partial<GateDeps> = {}): Command {
  const d: GateDeps = {
    publisher: deps.publisher ?? githubDeps.publisher,
    artifacts: deps.artifacts ?? githubDeps.artifacts,
    providers: deps.providers ?? checkProviders,
    now: deps.now ?? (() => new Date()),
  }
  return {
    name: 'gate',
    summary: 'Compare candidate with baseline and decide pass, fail or inconclusive',
    usage: USAGE,
    run: (ctx) => runGateCommand(ctx, d),
  }
}

/** `llmops gate`: compare, decide, write gate.json and the reports, and optionally post them. */
export const gateCommand = createGateCommand()

async function runGateCommand(ctx: CommandContext, deps: GateDeps): Promise<CommandResult> {
  const { values } = parseCommandArgs({ name: 'gate', usage: USAGE }, ctx.argv, {
    baseline: { type: 'string' },
    candidate: { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string', default: 'llmops-results/gate' },
    'baseline-provider': { type: 'string' },
    'candidate-provider': { type: 'string' },
    name: { type: 'string' },
    'on-inconclusive': { type: 'string' },
    comment: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    'new-comment': { type: 'boolean', default: false },
    pr: { type: 'string' },
    sha: { type: 'string' },
  })
  if (!values.candidate)
    throw new UsageError(`llmops gate: --candidate is required\nusage: ${USAGE}`)
  const { rules, options } = await readGateConfig(ctx, values.config, {
    name: values.name,
    onInconclusive: values['on-inconclusive'],
    baselineProvider: values['baseline-provider'],
    candidateProvider: values['candidate-provider'],
  })
  const prNumber = values.pr === undefined ? undefined : Number(values.pr)
  if (prNumber !== undefined && !(Number.isInteger(prNumber) && prNumber > 0))
    throw new UsageError(`--pr must be a PR number, got '${values.pr}'`)
  if (values.sha !== undefined && !/^[0-9a-f]{40}$/.test(values.sha))
    throw new UsageError('--sha must be a full 40-hex commit SHA')
  const pr = await readPullRequestRef(ctx.env, { pr: prNumber, sha: values.sha })

  const warnings: string[] = []
  const wantsMergeBase =
    values.baseline === 'merge-base' ||
    (values.baseline === undefined && options.baseline?.source === 'merge-base')
  let baselineDir =
    values.baseline ??
    (options.baseline?.source === 'side-by-side' || !options.baseline
      ? values.candidate
      : undefined)
  let mergeBaseSource = null
  if (wantsMergeBase) {
    if (!pr)
      throw new UsageError(
        '--baseline merge-base needs a pull request context (GITHUB_EVENT_PATH of a pull_request event, or --pr and --sha)',
      )
    const resolved = await resolveMergeBaseBaseline(await deps.artifacts(ctx), pr, {
      artifact: options.baseline?.artifact ?? 'llmops-results',
      maxAgeDays: options.baseline?.max_age_days ?? 14,
      now: deps.now(),
    })
    baselineDir = resolved.dir
    mergeBaseSource = resolved.source
    warnings.push(...resolved.warnings)
  }
  if (!baselineDir) throw new UsageError(`llmops gate: --baseline is required\nusage: ${USAGE}`)
  const sides = await resolveSides({
    baselineDir: path.resolve(ctx.cwd, baselineDir),
    candidateDir: path.resolve(ctx.cwd, values.candidate),
    baselineProvider: values['baseline-provider'] ?? options.baseline?.provider,
    candidateProvider: values['candidate-provider'] ?? options.baseline?.candidate_provider,
  })
  const outcome = await runGate({
    ...sides,
    source: mergeBaseSource ?? sides.source,
    rules,
    options,
    providers: deps.providers,
    // Safety metrics are the safety provider's to compare, when it is in the family.
    ...(deps.providers.includes(safetyCheckProvider) ? { claimed: claimedByProviders } : {}),
    warnings,
  })
  for (const w of outcome.warnings) ctx.logger.warn(w)
  const texts = renderGateTexts(outcome, { headSha: pr?.headSha, runUrl: pr?.runUrl ?? undefined })
  const outDir = path.resolve(ctx.cwd, values.out)
  const files = await writeGateOutputs(outDir, outcome, texts)
  ctx.logger.info(
    `gate '${outcome.name}': ${outcome.verdict} (${outcome.conclusion}) - ${outcome.headline}`,
  )
  ctx.logger.info(`wrote ${Object.values(files).join(', ')}`)
  if (texts.abridged.length > 0)
    ctx.logger.info(`report.md abridged to fit the comment limit: ${texts.abridged.join('; ')}`)

  await maybePublish(ctx, deps, pr, {
    comment: values.comment,
    check: values.check,
    publication: {
      name: outcome.name,
      conclusion: outcome.conclusion,
      verdict: outcome.verdict,
      headline: outcome.headline,
      commentBody: texts.commentBody,
      checkSummary: texts.checkSummary,
      annotations: texts.annotations,
      mode: values['new-comment'] || options.comment?.mode === 'new' ? 'new' : 'sticky',
    },
  })
  return {
    exitCode: exitCodeFor(outcome.conclusion),
    outputs: {
      verdict: outcome.verdict,
      conclusion: outcome.conclusion,
      'report-path': files.report,
      'gate-path': files.gate,
    },
    summary: texts.jobSummary,
  }
}

/** Posts when asked and a PR is known; without a PR (a local run) says so and skips. */
export async function maybePublish(
  ctx: CommandContext,
  deps: Pick<GateDeps, 'publisher'>,
  pr: PullRequestRef | null,
  input: { comment: boolean; check: boolean; publication: Parameters<typeof publish>[2] },
): Promise<void> {
  if (!input.comment && !input.check) return
  if (!pr) {
    ctx.logger.info(
      'no pull request in this context (GITHUB_EVENT_PATH / --pr and --sha): skipping the comment and check run',
    )
    return
  }
  try {
    await publish(
      await deps.publisher(ctx),
      pr,
      input.publication,
      { comment: input.comment, check: input.check },
      ctx.logger,
    )
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigurationError) throw error
    throw new InfrastructureError(
      `posting the gate report to PR #${pr.number} failed: ${getErrorMessage(error)}`,
      { cause: error },
    )
  }
}

async function readGateConfig(
  ctx: CommandContext,
  file: string | undefined,
  overrides: {
    name?: string | undefined
    onInconclusive?: string | undefined
    baselineProvider?: string | undefined
    candidateProvider?: string | undefined
  },
): Promise<{ rules: GateRule[]; options: GateOptions }> {
  let rules: GateRule[] = []
  let raw: Record<string, unknown> = {}
  const configFile = file ?? '.github/llmops.yml'
  const exists =
    (await stat(path.resolve(ctx.cwd, configFile)).catch(() => null))?.isFile() ?? false
  if (file !== undefined || exists) {
    if (!exists && !ctx.inAction)
      throw new ConfigurationError(`${configFile}: configuration file not found`)
    if (exists) {
      // The gate needs no endpoints: unset ${VARS} of provider sections must not stop it.
      const base: Record<string, string | undefined> = { ...ctx.env }
      const env = new Proxy(base, {
        get: (t, k) => (typeof k === 'string' ? (t[k] ?? 'http://unset.invalid') : undefined),
      })
      const { config } = await loadConfig(configFile, env, ctx.cwd)
      rules = config.gates
      raw = { ...(config.gate ?? {}) }
    } else ctx.logger.info(`${configFile} not found: using the default gate policy`)
  }
  if (overrides.name !== undefined) raw.name = overrides.name
  if (overrides.onInconclusive !== undefined) raw.on_inconclusive = overrides.onInconclusive
  const parsed = gateOptionsSchema.safeParse(raw)
  if (!parsed.success)
    throw new UsageError(
      `llmops gate: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  return { rules, options: parsed.data }
}
