import path from 'node:path'
import type { Bench } from '../contracts/bench.js'
import type { Provenance } from '../contracts/provenance.js'
import type { ResultRow } from '../contracts/results.js'
import type { Summary } from '../contracts/summary.js'
import { ConfigurationError } from '../errors.js'
import { loadResultsDir, type ResultsDir } from './load-results.js'

/** One side of the comparison: one provider's rows and whatever else its directory held. */
export interface Side {
  role: 'baseline' | 'candidate'
  provider: string
  dir: string
  rows: ResultRow[]
  summary: Summary | null
  bench: Bench | null
  extra: Record<string, unknown>
  provenance: Provenance | null
}

/** How the baseline was found; recorded in gate.json and the report. */
export interface BaselineSource {
  kind: 'side-by-side' | 'directory' | 'merge-base'
  description: string
  commit: string | null
  created_at: string | null
  age_days: number | null
  url: string | null
}

export interface SideOptions {
  baselineDir: string
  candidateDir: string
  baselineProvider?: string | undefined
  candidateProvider?: string | undefined
}

/**
 * Loads both directories and picks the provider of each side. One directory holding both providers
 * (or the same directory given twice) is a side-by-side run on the same cases: the preferred baseline.
 */
export async function resolveSides(
  options: SideOptions,
): Promise<{ baseline: Side; candidate: Side; source: BaselineSource }> {
  const same = path.resolve(options.baselineDir) === path.resolve(options.candidateDir)
  const candDir = await loadResultsDir(options.candidateDir)
  const baseDir = same ? candDir : await loadResultsDir(options.baselineDir)
  const candProviders = providersOf(candDir)
  const sideBySide =
    same ||
    (options.baselineProvider !== undefined &&
      candProviders.includes(options.baselineProvider) &&
      candProviders.length > 1)
  if (sideBySide) {
    const baselineProvider = pick(
      'baseline',
      candDir,
      options.baselineProvider,
      ['baseline'],
      undefined,
    )
    const candidateProvider = pick(
      'candidate',
      candDir,
      options.candidateProvider,
      ['candidate'],
      baselineProvider,
    )
    if (baselineProvider === candidateProvider) {
      throw new ConfigurationError(
        `baseline and candidate are both provider '${baselineProvider}' in ${candDir.dir}; pass --baseline-provider and --candidate-provider`,
      )
    }
    return {
      baseline: side('baseline', candDir, baselineProvider),
      candidate: side('candidate', candDir, candidateProvider),
      source: {
        kind: 'side-by-side',
        description: `side by side in ${candDir.dir}: provider '${baselineProvider}' vs '${candidateProvider}' on the same cases`,
        commit: candDir.summary?.provenance.commit ?? null,
        created_at: candDir.summary?.provenance.finished_at ?? null,
        age_days: null,
        url: null,
      },
    }
  }
  const baselineProvider = pick(
    'baseline',
    baseDir,
    options.baselineProvider,
    ['baseline'],
    undefined,
  )
  const candidateProvider = pick(
    'candidate',
    candDir,
    options.candidateProvider,
    ['candidate'],
    undefined,
  )
  const commit = baseDir.summary?.provenance.commit ?? null
  return {
    baseline: side('baseline', baseDir, baselineProvider),
    candidate: side('candidate', candDir, candidateProvider),
    source: {
      kind: 'directory',
      description: `results directory ${baseDir.dir} (provider '${baselineProvider}'${commit ? `, commit ${commit.slice(0, 12)}` : ''})`,
      commit,
      created_at: baseDir.summary?.provenance.finished_at ?? null,
      age_days: null,
      url: null,
    },
  }
}

function providersOf(dir: ResultsDir): string[] {
  return [...new Set(dir.rows.map((r) => r.provider))].sort()
}

/** The requested provider, or the conventional name, or the only (other) provider present. */
function pick(
  role: string,
  dir: ResultsDir,
  requested: string | undefined,
  conventional: string[],
  exclude: string | undefined,
): string {
  const providers = providersOf(dir)
  if (requested !== undefined) {
    if (!providers.includes(requested) && dir.rows.length > 0) {
      throw new ConfigurationError(
        `${role} provider '${requested}' has no results in ${dir.dir} (providers there: ${providers.join(', ') || 'none'})`,
      )
    }
    return requested
  }
  const found = conventional.find((c) => providers.includes(c) && c !== exclude)
  if (found) return found
  const rest = providers.filter((p) => p !== exclude)
  if (rest.length === 1) return rest[0]!
  if (rest.length === 0) {
    if (dir.rows.length === 0) return role
    throw new ConfigurationError(`no ${role} provider in ${dir.dir}: only '${exclude}' has results`)
  }
  throw new ConfigurationError(
    `${dir.dir} holds results of several providers (${rest.join(', ')}); pass --${role}-provider to choose the ${role}`,
  )
}

function side(role: 'baseline' | 'candidate', dir: ResultsDir, provider: string): Side {
  return {
    role,
    provider,
    dir: dir.dir,
    rows: dir.rows.filter((r) => r.provider === provider),
    summary: dir.summary,
    bench: dir.bench,
    extra: dir.extra,
    provenance: dir.summary?.provenance ?? dir.bench?.provenance ?? null,
  }
}
