import { createHash } from 'node:crypto'
import { parseCommandArgs } from '../cli/args.js'
import type { Command, CommandContext } from '../cli/command.js'
import { loadConfig, type LoadedConfig } from '../config/load.js'
import { ConfigurationError, ExitCode, UsageError } from '../errors.js'
import { deploy, type DeployOutcome, type DeployPorts } from './deploy.js'
import { evidenceMarkdown, findEvidence } from './deploy-evidence.js'
import { mlflowAuth, resolveMlflowTarget } from './mlflow-runs.js'
import { driverFor } from './drivers.js'
import { followJob } from './job.js'
import { MlflowClient } from './mlflow.js'
import { runSmoke } from './smoke.js'
import { mergeGate } from './on-merge.js'
import { githubDeploymentRecorder, githubWorkflowPort } from './github-ports.js'
import { escapeInline } from '../report/escape.js'

/** The deploy outcome as Markdown for the job summary and the comments. */
export function outcomeMarkdown(env: string, sha: string, outcome: DeployOutcome): string {
  const icon = { success: '✅', failure: '❌', error: '⚠️' }[outcome.status]
  const rows = outcome.steps.map(
    (s) => `| ${s.ok ? '✅' : '❌'} | ${s.name} | ${escapeInline(s.detail, 500)} |`,
  )
  return [
    `### ${icon} Deploy of \`${sha.slice(0, 12)}\` to ${env}: ${outcome.status}${outcome.rolledBack ? ' (rolled back)' : ''}`,
    '',
    '| | step | detail |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n')
}

function ports(
  ctx: CommandContext,
  values: Record<string, string | boolean | undefined>,
  loaded: LoadedConfig | undefined,
  sha: string,
  pr?: number,
): DeployPorts {
  const environment = values.environment as string
  const envConfig = loaded?.config.deploy?.environments[environment]
  const result: DeployPorts = { logger: ctx.logger }
  const mlflowUri =
    (values['mlflow-uri'] as string | undefined) ?? loaded?.config.mlflow?.tracking_uri
  if (mlflowUri) {
    const client = new MlflowClient(mlflowUri, mlflowAuth(ctx.env))
    result.mlflow = client
    const experiment =
      loaded?.config.mlflow?.experiment ?? ctx.env.MLFLOW_EXPERIMENT_NAME ?? 'llmops'
    result.evidence = () => findEvidence(client, experiment, { sha, pr })
  }
  const target = resolveMlflowTarget({
    uri: values['mlflow-uri'] as string | undefined,
    config: loaded?.config.mlflow,
    env: ctx.env,
  })
  const smoke = envConfig?.smoke
  if (smoke && loaded)
    result.smoke = () =>
      runSmoke(
        ctx,
        loaded.file,
        smoke,
        target ? { target, sha, environment: values.environment as string } : undefined,
      )
  const job = envConfig?.job
  if (job) {
    const repo = ctx.env.GITHUB_REPOSITORY ?? 'local'
    const configHash = createHash('sha256')
      .update(loaded?.text ?? '')
      .digest('hex')
    const driver = driverFor(
      job,
      { repo, sha, configHash, kind: `deploy-${environment}` },
      ctx.env,
      { LLMOPS_ENVIRONMENT: environment },
      { workflows: () => githubWorkflowPort(ctx.env, ctx.logger) },
    )
    result.runJob = async () => {
      const { id, resumed, url } = await driver.submit(ctx.signal)
      const followed = await followJob(driver, id, {
        timeoutMs: job.timeout_s * 1000,
        logger: ctx.logger,
        signal: ctx.signal,
      })
      return { ...followed, resumed, ...(url ? { url } : {}) }
    }
  }
  if (!values['no-github']) {
    if (!ctx.env.GITHUB_TOKEN) {
      throw new ConfigurationError(
        'GITHUB_TOKEN is not set: pass github-token to the action, export GITHUB_TOKEN, or use --no-github to skip the Deployment record.',
      )
    }
    result.github = githubDeploymentRecorder(ctx.env, ctx.logger)
  }
  return result
}

/** `llmops deploy`: deploy an exact commit, smoke-evaluate it, roll back on failure. */
export const deployCommand: Command = {
  name: 'deploy',
  summary:
    'Deploy a commit (GitHub Deployment, MLflow alias), smoke-evaluate, roll back on failure',
  usage:
    'llmops deploy --environment E --sha S [--config F] [--mlflow-uri URL --model NAME --version V --alias A] [--environment-url URL] [--no-github]',
  async run(ctx) {
    const { values } = parseCommandArgs(this, ctx.argv, {
      environment: { type: 'string' },
      sha: { type: 'string' },
      config: { type: 'string' },
      'mlflow-uri': { type: 'string' },
      model: { type: 'string' },
      version: { type: 'string' },
      alias: { type: 'string' },
      'environment-url': { type: 'string' },
      'no-github': { type: 'boolean' },
    })
    if (!values.environment || !/^[a-z0-9-]{1,40}$/.test(values.environment)) {
      throw new UsageError(
        `--environment must match ^[a-z0-9-]{1,40}$ (got '${values.environment ?? ''}')`,
      )
    }
    if (!values.sha || !/^[0-9a-f]{40}$/.test(values.sha))
      throw new UsageError(`--sha must be a 40-hex commit SHA (got '${values.sha ?? ''}')`)
    const loaded = values.config ? await loadConfig(values.config, ctx.env, ctx.cwd) : undefined
    const envConfig = loaded?.config.deploy?.environments[values.environment]
    if (loaded?.config.deploy && !envConfig) {
      throw new ConfigurationError(
        `environment '${values.environment}' is not configured under deploy.environments (configured: ${Object.keys(loaded.config.deploy.environments).join(', ')})`,
      )
    }
    const model = values.model ?? loaded?.config.mlflow?.model
    if ((model === undefined) !== (values.version === undefined))
      throw new UsageError('--model and --version go together')
    const runUrl =
      ctx.env.GITHUB_RUN_ID && ctx.env.GITHUB_REPOSITORY
        ? `${ctx.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${ctx.env.GITHUB_REPOSITORY}/actions/runs/${ctx.env.GITHUB_RUN_ID}`
        : undefined
    const gate = await mergeGate(
      ctx.env,
      loaded?.config.on_merge,
      { kind: 'deploy', environment: values.environment },
      ctx.logger,
    )
    if (!gate.decision.run) {
      ctx.stdout.write(`skipped: ${gate.decision.reason}\n`)
      return {
        exitCode: ExitCode.ok,
        outputs: { 'deployment-id': '', status: 'skipped' },
        summary: `### Deploy to ${values.environment} skipped\n\n${gate.decision.reason}\n`,
      }
    }
    const commentKey = `deploy-${values.environment}`
    const facts = [
      model !== undefined ? `Model: \`${model}\` version ${values.version ?? '?'}` : undefined,
      runUrl ? `[Actions run](${runUrl})` : undefined,
    ]
    const envUrl = values['environment-url'] ?? envConfig?.url
    const sha = values.sha
    const deploymentUrl = ctx.env.GITHUB_REPOSITORY
      ? `${ctx.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${ctx.env.GITHUB_REPOSITORY}/deployments/${encodeURIComponent(values.environment)}`
      : undefined
    const outcome = await deploy(
      {
        environment: values.environment,
        sha: values.sha,
        ...(model !== undefined && values.version !== undefined
          ? { model, version: values.version }
          : {}),
        alias: values.alias ?? loaded?.config.mlflow?.alias ?? 'champion',
        requiredContexts: envConfig?.required_contexts ?? [],
        ...(envUrl ? { environmentUrl: envUrl } : {}),
        ...(runUrl ? { logUrl: runUrl } : {}),
        ...(deploymentUrl ? { deploymentUrl } : {}),
        ...(gate.pull ? { pullRequest: gate.pull.number } : {}),
        ...(envConfig?.production !== undefined ? { production: envConfig.production } : {}),
        ...(envConfig?.transient !== undefined ? { transient: envConfig.transient } : {}),
      },
      ports(ctx, values, loaded, values.sha, gate.pull?.number),
    ).catch(async (error: unknown) => {
      await gate.comment(
        commentKey,
        [
          `### ⚠️ Deploy of \`${sha.slice(0, 12)}\` to ${values.environment}: error`,
          '',
          'The deploy stopped before it finished; see the run log.',
          '',
          ...facts.filter(Boolean),
        ].join('\n'),
      )
      throw error
    })
    const report = [
      outcomeMarkdown(values.environment, sha, outcome),
      evidenceMarkdown(
        {
          environment: values.environment,
          deploymentId: outcome.deploymentId,
          model,
          version: values.version,
          alias: values.alias ?? loaded?.config.mlflow?.alias ?? 'champion',
          previousVersion: outcome.previousVersion,
        },
        outcome.links,
      ),
      '',
    ].join('\n')
    await gate.comment(commentKey, report)
    ctx.stdout.write(`${outcome.status}${outcome.rolledBack ? ' (rolled back)' : ''}\n`)
    return {
      exitCode:
        outcome.status === 'success'
          ? ExitCode.ok
          : outcome.status === 'failure'
            ? ExitCode.gateFail
            : ExitCode.infrastructure,
      outputs: {
        'deployment-id': outcome.deploymentId === undefined ? '' : String(outcome.deploymentId),
        status: outcome.status,
      },
      summary: report,
    }
  },
}
