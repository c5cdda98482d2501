import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism, hostname } from 'node:os'
import path from 'node:path'
import { benchSchema, type Bench } from '../contracts/bench.js'
import { VERSION } from '../version.js'
import type { BenchOutcome } from './run.js'
import { analyseSweeps } from './sweep.js'
import type { Validity } from './validity.js'

/** Facts about the run recorded in provenance. */
export interface BenchMeta {
  endpoint: { url: string; model: string; api: string }
  configText: string | null
  seed: number
  commit: string | null
  ref: string | null
  runner: string | null
  startedAt: Date
  finishedAt: Date
}

const RANK = { valid: 0, degraded: 1, invalid: 2 } as const

/** The worst verdict over all runs, with each run's reasons prefixed by its label. */
function overallValidity(
  outcome: BenchOutcome,
): Validity | { verdict: 'invalid'; reasons: string[]; client_lag_ms: null } {
  if (outcome.runs.length === 0)
    return {
      verdict: 'invalid',
      reasons: [outcome.error ?? 'no run completed'],
      client_lag_ms: null,
    }
  const worst = outcome.runs.reduce((a, b) =>
    RANK[b.validity.verdict] > RANK[a.validity.verdict] ? b : a,
  )
  return {
    ...worst.validity,
    reasons: outcome.runs.flatMap((r) =>
      r.validity.reasons.map((reason) => `${r.scenario} ${r.load}: ${reason}`),
    ),
    client_lag_ms: Math.max(...outcome.runs.map((r) => r.validity.client_lag_ms ?? 0)),
  }
}

/** Builds bench.json (the DESIGN.md contract) and validates it against the contract schema. */
export function buildBenchJson(outcome: BenchOutcome, meta: BenchMeta): Bench {
  const requests = outcome.requests.map((r) => {
    const {
      t_send: _s,
      t_end: _e,
      token_times: _t,
      token_counts: _c,
      index: _i,
      warmup: _w,
      ...kept
    } = r
    return kept
  })
  const first = outcome.runs[0]
  const bench = {
    tool: 'llmops-bench',
    endpoint: meta.endpoint,
    server: outcome.server,
    calibration: outcome.calibration,
    error: outcome.error,
    definitions: {
      ttft_ms:
        'first token event (content, reasoning or tool call; never a role-only chunk) - send',
      tpot_ms: '(last token event - first token event) / (N - 1), N from usage',
      itl_ms:
        'per-token gaps: a gap between token events spread over the tokens of the later event',
      icl_ms: 'gaps between consecutive token events (vLLM and SGLang call this ITL)',
      e2e_ms: 'last token event - send; done_ms: [DONE] - send',
      percentiles: 'linear interpolation (numpy default); a percentile q needs n >= 10 / (1 - q)',
    },
    runs: outcome.runs,
    sweeps: analyseSweeps(outcome.runs),
    requests,
    summary: first?.summary ?? {},
    validity: overallValidity(outcome),
    provenance: {
      tool_version: VERSION,
      config_hash:
        meta.configText === null
          ? null
          : createHash('sha256').update(meta.configText).digest('hex'),
      dataset_hashes: {},
      models: { candidate: meta.endpoint.model },
      servers: {
        candidate: {
          name: outcome.server?.name ?? 'unknown',
          version: outcome.server?.version ?? null,
        },
      },
      seed: meta.seed,
      runner: {
        os: process.platform,
        arch: process.arch,
        cpus: availableParallelism(),
        node: process.version,
        name: meta.runner ?? hostname(),
      },
      commit: meta.commit,
      ref: meta.ref,
      started_at: meta.startedAt.toISOString(),
      finished_at: meta.finishedAt.toISOString(),
    },
  }
  return benchSchema.parse(bench)
}

/** Writes bench.json into the output directory and returns its path. */
export async function writeBenchJson(outDir: string, bench: Bench): Promise<string> {
  await mkdir(outDir, { recursive: true })
  const file = path.join(outDir, 'bench.json')
  await writeFile(file, `${JSON.stringify(bench, null, 2)}\n`)
  return file
}
