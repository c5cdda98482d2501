import { createHash } from 'node:crypto'
import { intFlag, parseCommandArgs } from '../cli/args.js'
import type { Command } from '../cli/command.js'
import { loadConfig } from '../config/load.js'
import { UsageError } from '../errors.js'
import { escapeInline } from '../report/escape.js'
import type { JobTarget } from './config-schema.js'
import { driverFor } from './drivers.js'
import { githubWorkflowPort } from './github-ports.js'
import { followJob } from './job.js'
import { kubernetesTargetFromFlags } from './kubernetes-target.js'
import { MlflowClient } from './mlflow.js'
import { mlflowAuth, type MlflowConfig } from './mlflow-runs.js'
import { mergeGate, type OnMergeConfig } from './on-merge.js'
import { completeRegistration, prepareRegistration, type Registered } from './register.js'

const STATUS_WORD = {
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  stopped: 'STOPPED',
  pending: 'PENDING',
  running: 'RUNNING',
} as const

/** Parses repeated `--env KEY=VALUE` flags; keys must be environment variable names. */
export function parseEnvFlags(values: string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {}
  for (const v of values ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(v)
    if (!m)
      throw new UsageError(
        `--env expects KEY=VALUE with KEY an environment variable name, got '${v}'`,
      )
    env[m[1]!] = m[2]!
  }
  return env
}

/** `llmops finetune`: submit the fine-tune job, follow it to a terminal state, exit 0 only on SUCCEEDED. */
export const finetuneCommand: Command = {
  name: 'finetune',
  summary: 'Dispatch a fine-tune job (Ray, Kubernetes, workflow, webhook) and follow it to the end',
  usage:
    'llmops finetune [--config F] [--target ray --address URL --entrypoint CMD | --target kubernetes --image IMG --command CMD [--namespace NS] [--kubeconfig F --context C | --api-server URL --token-env VAR]] [--env KEY=VALUE ...] [--num-gpus N] [--sha S] [--timeout S] [--poll S] [--mlflow-uri URL --model NAME [--model-source URI]]',
  async run(ctx) {
    const { values } = parseCommandArgs(this, ctx.argv, {
      config: { type: 'string' },
      target: { type: 'string' },
      address: { type: 'string' },
      entrypoint: { type: 'string' },
      env: { type: 'string', multiple: true },
      'num-gpus': { type: 'string' },
      sha: { type: 'string' },
      timeout: { type: 'string' },
      poll: { type: 'string' },
      image: { type: 'string' },
      command: { type: 'string' },
      namespace: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      'api-server': { type: 'string' },
      'token-env': { type: 'string' },
      'mlflow-uri': { type: 'string' },
      model: { type: 'string' },
      'model-source': { type: 'string' },
    })
    let target: JobTarget
    let configHash: string
    let onMerge: OnMergeConfig | undefined
    let mlflowConfig: MlflowConfig | undefined
    if (values.target === 'kubernetes') {
      target = kubernetesTargetFromFlags({
        image: values.image,
        command: values.command,
        namespace: values.namespace,
        kubeconfig: values.kubeconfig,
        context: values.context,
        apiServer: values['api-server'],
        tokenEnv: values['token-env'],
        gpus: intFlag('num-gpus', values['num-gpus']),
        timeoutS: intFlag('timeout', values.timeout, { min: 1 }),
      })
      configHash = createHash('sha256')
        .update(JSON.stringify([target.image, target.command]))
        .digest('hex')
    } else if (values.target !== undefined || values.config === undefined) {
      if (values.target !== 'ray')
        throw new UsageError(
          `--target must be 'ray' or 'kubernetes' when no --config is given (got '${values.target ?? ''}')`,
        )
      if (!values.address || !values.entrypoint)
        throw new UsageError('--target ray needs --address URL and --entrypoint CMD')
      const gpus = intFlag('num-gpus', values['num-gpus'])
      target = {
        target: 'ray',
        address: values.address,
        entrypoint: values.entrypoint,
        timeout_s: intFlag('timeout', values.timeout, { min: 1 }) ?? 6 * 3600,
        ...(gpus !== undefined ? { num_gpus: gpus } : {}),
      }
      configHash = createHash('sha256').update(values.entrypoint).digest('hex')
    } else {
      const loaded = await loadConfig(values.config, ctx.env, ctx.cwd)
      if (!loaded.config.finetune)
        throw new UsageError(`${values.config} has no 'finetune' section`)
      target = loaded.config.finetune
      onMerge = loaded.config.on_merge
      mlflowConfig = loaded.config.mlflow
      configHash = createHash('sha256').update(loaded.text).digest('hex')
    }
    const sha = values.sha ?? ctx.env.GITHUB_SHA ?? 'local'
    if (sha !== 'local' && !/^[0-9a-f]{40}$/.test(sha))
      throw new UsageError(`--sha must be a 40-hex commit SHA, got '${sha}'`)
    const gate = await mergeGate(ctx.env, onMerge, { kind: 'finetune' }, ctx.logger)
    if (!gate.decision.run) {
      ctx.stdout.write(`skipped: ${gate.decision.reason}\n`)
      return {
        exitCode: 0,
        outputs: { 'job-id': '', status: 'skipped' },
        summary: `### Fine-tune skipped\n\n${gate.decision.reason}\n`,
      }
    }
    const runLink = gate.runUrl ? `\n[Actions run](${gate.runUrl})\n` : ''
    const repo = ctx.env.GITHUB_REPOSITORY ?? 'local'
    // With a model to register, the job gets its MLflow run to log into (MLFLOW_RUN_ID).
    const registration = await prepareRegistration(
      {
        trackingUri:
          values['mlflow-uri'] ?? mlflowConfig?.tracking_uri ?? ctx.env.MLFLOW_TRACKING_URI,
        experiment: mlflowConfig?.experiment ?? ctx.env.MLFLOW_EXPERIMENT_NAME ?? 'llmops',
        model: values.model ?? mlflowConfig?.model,
        source: values['model-source'] ?? mlflowConfig?.register_source,
      },
      (uri) => new MlflowClient(uri, mlflowAuth(ctx.env)),
      { repo, sha, runUrl: gate.runUrl },
    )
    const driver = driverFor(
      target,
      { repo, sha, configHash, kind: 'finetune' },
      ctx.env,
      { ...parseEnvFlags(values.env), ...registration?.run.env },
      { workflows: () => githubWorkflowPort(ctx.env, ctx.logger) },
    )
    const timeoutS = intFlag('timeout', values.timeout, { min: 1 }) ?? target.timeout_s
    let id: string
    let result: Awaited<ReturnType<typeof followJob>>
    try {
      const submitted = await driver.submit(ctx.signal)
      id = submitted.id
      ctx.logger.info(
        `${driver.target} job ${id} ${submitted.resumed ? 'already submitted: following it' : 'submitted'}`,
      )
      result = await followJob(driver, id, {
        timeoutMs: timeoutS * 1000,
        pollMs: (intFlag('poll', values.poll, { min: 1 }) ?? 10) * 1000,
        logger: ctx.logger,
        signal: ctx.signal,
      })
    } catch (error) {
      // The run opened for the job must not stay RUNNING when the job never ran to an end.
      await registration?.client.finishRun(registration.run.runId, 'FAILED').catch(() => undefined)
      await gate.comment(
        'finetune',
        `### ❌ Fine-tune on ${driver.target} failed before it finished\n\nThe job could not be submitted or followed; see the run log.\n${runLink}`,
      )
      throw error
    }
    const word = STATUS_WORD[result.state.phase]
    const note = result.timedOut
      ? ` (timed out after ${timeoutS} s)`
      : result.cancelled
        ? ' (cancelled)'
        : ''
    ctx.stdout.write(`${word}${note}\n`)
    const summary = [
      `### Fine-tune job \`${id}\` on ${driver.target}: ${word}${note}`,
      result.state.message ? `\n${result.state.message}\n` : '',
      result.logTail
        ? `\n<details><summary>Log tail</summary>\n\n\`\`\`text\n${result.logTail.replaceAll('```', '`\u200b``')}\n\`\`\`\n</details>\n`
        : '',
    ].join('')
    let registered: Registered | null = null
    let registerError: string | null = null
    if (registration) {
      try {
        registered = await completeRegistration(
          registration,
          { succeeded: result.state.phase === 'succeeded', jobId: id, sha, repo },
          ctx.logger,
        )
      } catch (error) {
        registerError = error instanceof Error ? error.message : String(error)
        ctx.logger.error(`model registration failed: ${registerError}`)
      }
    }
    const registerLine = registered
      ? `\nRegistered ${escapeInline(registered.model, 100)} [version ${registered.version}](${registered.url}) (READY) from ${escapeInline(registered.source, 300)}.\n`
      : registerError
        ? `\n❌ The job succeeded but registering the model failed: ${escapeInline(registerError, 400)}\n`
        : ''
    await gate.comment('finetune', summary + registerLine + runLink)
    return {
      exitCode: result.state.phase === 'succeeded' && registerError === null ? 0 : 1,
      outputs: {
        'job-id': id,
        status: word,
        ...(registered
          ? { 'model-version': registered.version, 'model-version-url': registered.url }
          : {}),
      },
      summary: summary + registerLine,
    }
  },
}
