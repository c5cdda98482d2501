import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { CommandContext } from '../cli/command.js'
import { runEval } from '../eval/run-eval.js'

export interface SmokeSpec {
  suite: string
  provider: string
  min_score?: number | undefined
}

/**
 * Runs the smoke suite against the newly deployed endpoint (the provider that points at it) with the
 * evaluation engine. It passes when every case was scored and, with `min_score`, every metric mean
 * reaches it.
 */
export async function runSmoke(
  ctx: CommandContext,
  configFile: string,
  spec: SmokeSpec,
): Promise<{ ok: boolean; detail: string }> {
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
  return { ok, detail: `${scored}${means ? ` (${means})` : ''}${why}` }
}
