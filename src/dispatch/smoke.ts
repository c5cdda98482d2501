import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { CommandContext } from '../cli/command.js'
import { loadConfig } from '../config/load.js'
import { runEval } from '../eval/run-eval.js'
import { evalRecord } from './mlflow-records.js'
import { logRun, type MlflowLogTarget } from './mlflow-runs.js'

export interface SmokeSpec {
  suite: string
  provider: string
  min_score?: number | undefined
}

/**
 * Runs the smoke suite against the newly deployed endpoint (the provider that points at it) with the
 * evaluation engine. It passes when every case was scored and, with `min_score`, every metric mean
 * reaches it. With an MLflow target the smoke run is logged (kind `smoke`, the deployed commit) and
 * its URL returned; a logging failure is named in the detail but never changes the verdict.
 */
export async function runSmoke(
  ctx: CommandContext,
  configFile: string,
  spec: SmokeSpec,
  mlflow?: { target: MlflowLogTarget; sha: string; environment: string },
): Promise<{ ok: boolean; detail: string; runUrl?: string }> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'llmops-smoke-'))
  const run = await runEval({
    configFile,
    cwd: ctx.cwd,
    env: ctx.env,
    out,
    filters: { suites: [spec.suite], providers: [spec.provider] },
    logger: ctx.logger,
    signal: ctx.signal,
  })
  if (run.failure) return { ok: false, detail: run.failure.message }
  const metrics = run.summary.suites[spec.suite]?.providers[spec.provider]?.metrics ?? {}
  const low = Object.entries(metrics).filter(
    ([, m]) => spec.min_score !== undefined && (m.mean === null || m.mean < spec.min_score),
  )
  const scored = `${run.cases - run.errors}/${run.cases} cases scored`
  const means = Object.entries(metrics)
    .map(([name, m]) => `${name} ${m.mean === null ? '-' : m.mean.toFixed(3)}`)
    .join(', ')
  const ok = run.cases > 0 && run.errors === 0 && low.length === 0
  const why = low.length ? `; below ${spec.min_score}: ${low.map(([n]) => n).join(', ')}` : ''
  const detail = `${scored}${means ? ` (${means})` : ''}${why}`
  if (!mlflow) return { ok, detail }
  const config = (await loadConfig(configFile, ctx.env, ctx.cwd)).config
  const record = evalRecord(run.summary, config, {
    kind: 'smoke',
    failure: ok ? undefined : `smoke evaluation failed: ${detail}`,
    markdown: `### Smoke evaluation of ${mlflow.sha.slice(0, 12)} on ${mlflow.environment}\n\n${detail}\n`,
  })
  const logged = await logRun(
    mlflow.target,
    {
      ...record,
      commit: mlflow.sha,
      identity: `${mlflow.environment}|${record.identity}`,
      name: `smoke ${mlflow.environment} @ ${mlflow.sha.slice(0, 12)}`,
      params: { ...record.params, environment: mlflow.environment },
    },
    { env: ctx.env, logger: ctx.logger },
  )
  return logged.runUrl && logged.status === 'logged'
    ? { ok, detail, runUrl: logged.runUrl }
    : {
        ok,
        detail: `${detail}; MLflow: not logged (${(logged.error ?? 'incomplete').slice(0, 100)})`,
      }
}
