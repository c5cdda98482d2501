import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import os from 'node:os'
import type { Provenance } from '../contracts/provenance.js'
import { VERSION } from '../version.js'

type Env = Readonly<Record<string, string | undefined>>

/** The machine a run happened on (RUNNER_NAME on GitHub runners). */
export function runnerInfo(env: Env): Provenance['runner'] {
  return {
    os: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpus: os.cpus().length,
    node: process.version,
    name: env.RUNNER_NAME ?? null,
  }
}

/** The commit under test: GITHUB_SHA, else `git rev-parse HEAD` in cwd, else null. */
export function commitSha(env: Env, cwd: string): Promise<string | null> {
  if (env.GITHUB_SHA && /^[0-9a-f]{40}$/i.test(env.GITHUB_SHA))
    return Promise.resolve(env.GITHUB_SHA)
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd, timeout: 5_000 }, (error, stdout) => {
      const sha = stdout.trim()
      resolve(!error && /^[0-9a-f]{40}$/.test(sha) ? sha : null)
    })
  })
}

/** sha256 of text, hex. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Inputs of the provenance envelope. */
export interface ProvenanceInput {
  configText: string | null
  datasets: Record<string, string>
  metricDefinitions: Record<string, string>
  models: Record<string, string>
  servers: Provenance['servers']
  seed: number | null
  env: Env
  commit: string | null
  startedAt: Date
  finishedAt: Date
}

/** The provenance envelope of summary.json; the gate refuses comparisons whose gating fields differ. */
export function buildProvenance(input: ProvenanceInput): Provenance {
  return {
    tool_version: VERSION,
    config_hash: input.configText === null ? null : sha256(input.configText),
    dataset_hashes: input.datasets,
    metric_definitions: input.metricDefinitions,
    models: input.models,
    servers: input.servers,
    seed: input.seed,
    runner: runnerInfo(input.env),
    commit: input.commit,
    ref: input.env.GITHUB_REF ?? null,
    started_at: input.startedAt.toISOString(),
    finished_at: input.finishedAt.toISOString(),
  }
}
