import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Provenance } from '../../../src/contracts/provenance.js'
import { resultRowSchema, type ResultRow } from '../../../src/contracts/results.js'
import { summarySchema, type Summary } from '../../../src/contracts/summary.js'
import { gateOptionsSchema, type GateOptions } from '../../../src/gate/config-schema.js'
import type { BaselineSource, Side } from '../../../src/gate/sides.js'

/** A provenance envelope for tests; fields can be overridden. */
export function provenance(overrides: Partial<Provenance> = {}): Provenance {
  return {
    tool_version: '0.1.0',
    config_hash: 'cfg0',
    dataset_hashes: { qa: 'sha256:aaaa' },
    metric_definitions: { exact_match: 'exact_match@1' },
    models: { baseline: 'org/model-main', candidate: 'org/model-pr' },
    servers: {
      baseline: { name: 'vllm', version: '0.11.0' },
      candidate: { name: 'vllm', version: '0.11.0' },
    },
    seed: 1,
    runner: { os: 'linux', arch: 'x64', cpus: 2, node: '20.19.0', name: 'gpu-1' },
    commit: '1111111111111111111111111111111111111111',
    started_at: '2026-11-28T00:00:00.000Z',
    finished_at: '2026-11-28T00:10:00.000Z',
    ...overrides,
  }
}

/** One results.jsonl row, parsed by the production schema so fixtures cannot drift from the contract. */
export function row(
  provider: string,
  suite: string,
  id: string,
  metrics: Record<string, number | boolean | null>,
  extra: Partial<ResultRow> = {},
): ResultRow {
  return resultRowSchema.parse({
    suite,
    case: id,
    provider,
    model: provider === 'baseline' ? 'org/model-main' : 'org/model-pr',
    input: `Question ${id}?`,
    output: `Answer ${id}`,
    metrics,
    error: null,
    latency_ms: 100,
    usage: { prompt_tokens: 10, completion_tokens: 5 },
    cached: false,
    source: { file: `evals/${suite}.jsonl`, line: Number(id.replace(/\D/g, '')) + 1 || 1 },
    ...extra,
  })
}

/**
 * Pass/fail outcomes for n cases: `baseRate` of the baseline passes; the candidate equals the
 * baseline except `regress` passes turned into fails (and `improve` fails into passes).
 */
export function flips(
  n: number,
  { baseRate = 0.7, regress = 0, improve = 0 } = {},
): { base: boolean[]; cand: boolean[] } {
  const passes = Math.round(n * baseRate)
  const base = Array.from({ length: n }, (_, i) => i < passes)
  const cand = [...base]
  for (let i = 0; i < regress; i++) cand[i] = false
  for (let i = 0; i < improve; i++) cand[passes + i] = true
  return { base, cand }
}

/** Writes a side-by-side results directory (both providers in one results.jsonl) with its summary. */
export async function writeResultsDir(
  dir: string,
  rows: ResultRow[],
  prov: Provenance = provenance(),
): Promise<string> {
  await mkdir(dir, { recursive: true })
  await writeFile(
    path.join(dir, 'results.jsonl'),
    rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
  )
  const suites: Summary['suites'] = {}
  for (const r of rows) {
    const s = (suites[r.suite] ??= { providers: {} })
    const p = (s.providers[r.provider] ??= {
      cases: 0,
      errors: 0,
      errors_by_kind: {},
      metrics: {},
      wall_ms: 60_000,
    })
    p.cases++
    if (r.error) p.errors++
  }
  const summary = summarySchema.parse({
    suites,
    totals: { cases: rows.length, errors: 0, cached: 0 },
    provenance: prov,
  })
  await writeFile(path.join(dir, 'summary.json'), JSON.stringify(summary))
  return dir
}

/** Rows of a binary metric for both providers from `flips`. */
export function binaryRows(
  suite: string,
  metric: string,
  f: { base: boolean[]; cand: boolean[] },
): ResultRow[] {
  return [
    ...f.base.map((v, i) => row('baseline', suite, `c${i}`, { [metric]: v })),
    ...f.cand.map((v, i) => row('candidate', suite, `c${i}`, { [metric]: v })),
  ]
}

/** A side built in memory (no directory), for tests of the gate logic. */
export function sideOf(
  role: 'baseline' | 'candidate',
  rows: ResultRow[],
  prov: Provenance | null = provenance(),
): Side {
  return {
    role,
    provider: role,
    dir: `/results/${role}`,
    rows: rows.filter((r) => r.provider === role),
    summary: null,
    bench: null,
    extra: {},
    provenance: prov,
  }
}

/** Default gate options as the schema fills them. */
export function gateOptions(overrides: Record<string, unknown> = {}): GateOptions {
  return gateOptionsSchema.parse(overrides)
}

export const SIDE_BY_SIDE: BaselineSource = {
  kind: 'side-by-side',
  description: "side by side: provider 'baseline' vs 'candidate' on the same cases",
  commit: null,
  created_at: null,
  age_days: null,
  url: null,
}
