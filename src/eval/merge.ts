import { readFile, writeFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Provenance } from '../contracts/provenance.js'
import type { ResultRow } from '../contracts/results.js'
import { summarySchema, type Summary } from '../contracts/summary.js'
import type { Logger } from '../core/logger.js'
import { ConfigurationError } from '../errors.js'
import type { Metric } from '../metrics/types.js'
import type { MetricSpec } from './config-schema.js'
import { scoreCorpus, type MetricResolver } from './metric-resolution.js'
import { RESULTS_FILE, SUMMARY_FILE, writeJsonAtomic } from './output-files.js'
import { readResults, rowKey } from './results-file.js'
import { buildSummary } from './summary.js'

async function readSummary(dir: string): Promise<Summary> {
  const file = path.join(dir, SUMMARY_FILE)
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(file, 'utf8'))
  } catch {
    throw new ConfigurationError(
      `${file}: missing or not JSON (is ${dir} the output of llmops eval?)`,
    )
  }
  const parsed = summarySchema.safeParse(raw)
  if (!parsed.success)
    throw new ConfigurationError(
      `${file}: not an eval summary: ${parsed.error.issues[0]?.message ?? ''}`,
    )
  return parsed.data
}

/** One provenance for merged shards; shards of different configs or commits cannot be merged. */
export function mergeProvenance(parts: readonly Provenance[]): Provenance {
  const first = parts[0]!
  for (const p of parts.slice(1)) {
    if (p.config_hash !== first.config_hash)
      throw new ConfigurationError(
        'cannot merge: the shards were run with different configurations (config_hash differs)',
      )
    if (p.commit !== first.commit)
      throw new ConfigurationError(
        `cannot merge: the shards were run on different commits (${first.commit} and ${p.commit})`,
      )
  }
  return {
    ...first,
    dataset_hashes: Object.assign({}, ...parts.map((p) => p.dataset_hashes)) as Record<
      string,
      string
    >,
    metric_definitions: Object.assign(
      {},
      ...parts.map((p) => p.metric_definitions ?? {}),
    ) as Record<string, string>,
    models: Object.assign({}, ...parts.map((p) => p.models)) as Record<string, string>,
    servers: Object.assign({}, ...parts.map((p) => p.servers)) as Provenance['servers'],
    runners: parts.map((p) => p.runner),
    started_at: parts.map((p) => p.started_at).sort()[0]!,
    finished_at: parts
      .map((p) => p.finished_at)
      .sort()
      .at(-1)!,
  }
}

function specOf(definition: string): MetricSpec {
  return definition.startsWith('{')
    ? (JSON.parse(definition) as Record<string, unknown>)
    : definition
}

/**
 * Merges sharded eval outputs into one: rows concatenated (a case in two shards keeps the later
 * directory's row), the summary rebuilt from the rows (means, intervals and corpus metrics over all
 * cases, not averages of shard summaries), provenance combined.
 */
export async function mergeOutputs(
  dirs: readonly string[],
  outDir: string,
  resolve: MetricResolver,
  logger: Logger,
): Promise<Summary> {
  if (dirs.length === 0)
    throw new ConfigurationError('llmops merge needs at least one input directory')
  const summaries = await Promise.all(dirs.map(readSummary))
  const byKey = new Map<string, ResultRow>()
  const lines: string[] = []
  for (const dir of dirs) {
    const file = path.join(dir, RESULTS_FILE)
    const existing = await readResults(file)
    if (existing.truncatedTail) logger.warn(`${file}: dropped a cut-off last line`)
    for (const row of existing.rows) {
      const key = rowKey(row)
      if (byKey.has(key))
        logger.warn(
          `${row.suite}/${row.provider}/${row.case} appears in more than one shard; keeping the row from ${dir}`,
        )
      byKey.set(key, row)
    }
  }
  const rows = [...byKey.values()]
  for (const row of rows) lines.push(JSON.stringify(row))
  const provenance = mergeProvenance(summaries.map((s) => s.provenance))

  // Corpus metrics are recomputed over all shards' rows from their recorded definitions.
  const corpus = new Map<string, Record<string, number>>()
  for (const [key, definition] of Object.entries(provenance.metric_definitions ?? {})) {
    const slash = key.indexOf('/')
    const suite = key.slice(0, slash)
    let metrics: Metric[]
    try {
      const m = resolve(specOf(definition))
      metrics = (Array.isArray(m) ? m : [m]) as Metric[]
    } catch {
      continue
    }
    if (!metrics.some((m) => m.kind === 'corpus')) continue
    for (const provider of new Set(rows.filter((r) => r.suite === suite).map((r) => r.provider))) {
      const inputs = rows
        .filter((r) => r.suite === suite && r.provider === provider && !r.error)
        .map((r) => ({
          prediction: r.output ?? '',
          references: Array.isArray(r.reference) ? (r.reference as string[]) : [],
          vars: {},
        }))
      const k = `${suite}\u0000${provider}`
      corpus.set(k, { ...corpus.get(k), ...scoreCorpus(metrics, inputs) })
    }
  }
  const wallMs = new Map<string, number>()
  for (const s of summaries) {
    for (const [suite, sv] of Object.entries(s.suites)) {
      for (const [provider, p] of Object.entries(sv.providers)) {
        const k = `${suite}\u0000${provider}`
        if (typeof p.wall_ms === 'number') wallMs.set(k, Math.max(wallMs.get(k) ?? 0, p.wall_ms))
      }
    }
  }
  const planned = summaries.reduce(
    (a, s) => a + (typeof s.totals.planned === 'number' ? s.totals.planned : s.totals.cases),
    0,
  )
  const summary = buildSummary(rows, { provenance, planned, wallMs, corpus })
  summary.merged_from = dirs.map((d) => path.resolve(d))
  await mkdir(outDir, { recursive: true })
  await writeFile(path.join(outDir, RESULTS_FILE), lines.length ? `${lines.join('\n')}\n` : '')
  await writeJsonAtomic(path.join(outDir, SUMMARY_FILE), summary)
  return summary
}
