import { createHash } from 'node:crypto'
import { didYouMean } from '../core/did-you-mean.js'
import { UsageError } from '../errors.js'
import type { EvalCase, LoadedSuite } from './suite-cases.js'

/** One unit of work: a case of a suite against one provider. */
export interface PlanItem {
  suite: LoadedSuite
  case: EvalCase
  provider: string
}

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number
  count: number
}

/** Filters from the command line; each list keeps what matches any of its entries. */
export interface PlanFilters {
  suites?: string[] | undefined
  providers?: string[] | undefined
  tags?: string[] | undefined
}

/** Parses `--shard i/n` (1 <= i <= n). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = Number(m?.[1])
  const count = Number(m?.[2])
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be i/n with 1 <= i <= n (e.g. 2/4), got '${text}'`)
  }
  return { index, count }
}

/** The hash that orders cases for sharding: sha256 of suite name and case id. */
export function shardHash(suite: string, caseId: string): string {
  return createHash('sha256').update(`${suite}\u0000${caseId}`).digest('hex')
}

/**
 * Keeps shard i of n. Cases are ordered by the hash of suite and case id and dealt out round-robin,
 * so shards differ in size by at most one case, every runner computes the same split from the same
 * config, and the providers of one case always land in the same shard.
 */
export function selectShard<T>(units: readonly T[], key: (u: T) => string, shard: Shard): T[] {
  if (shard.count === 1) return [...units]
  const ranked = units
    .map((u) => ({ u, k: key(u) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
  const mine = new Set<T>()
  ranked.forEach((r, i) => {
    if (i % shard.count === shard.index - 1) mine.add(r.u)
  })
  return units.filter((u) => mine.has(u))
}

function checkNames(
  kind: string,
  wanted: readonly string[] | undefined,
  known: readonly string[],
): void {
  for (const name of wanted ?? []) {
    if (!known.includes(name)) {
      const guess = didYouMean(name, [...known])
      throw new UsageError(
        `unknown ${kind} '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} Known: ${known.join(', ') || '(none)'}`,
      )
    }
  }
}

/** The providers a suite runs against: its own list, else every provider except `judge`. */
export function suiteProviders(suite: LoadedSuite, allProviders: readonly string[]): string[] {
  return suite.config.providers ?? allProviders.filter((p) => p !== 'judge')
}

/** suites × providers × cases after filters and sharding, in a stable order. */
export function buildPlan(
  suites: readonly LoadedSuite[],
  allProviders: readonly string[],
  filters: PlanFilters = {},
  shard?: Shard,
): PlanItem[] {
  checkNames(
    'suite',
    filters.suites,
    suites.map((s) => s.config.name),
  )
  checkNames('provider', filters.providers, allProviders)
  const units: { suite: LoadedSuite; case: EvalCase }[] = []
  for (const suite of suites) {
    if (filters.suites && !filters.suites.includes(suite.config.name)) continue
    for (const c of suite.cases) {
      if (filters.tags && !filters.tags.some((t) => c.tags.includes(t))) continue
      units.push({ suite, case: c })
    }
  }
  const selected = shard
    ? selectShard(units, (u) => shardHash(u.suite.config.name, u.case.id), shard)
    : units
  const items: PlanItem[] = []
  for (const unit of selected) {
    for (const provider of suiteProviders(unit.suite, allProviders)) {
      if (filters.providers && !filters.providers.includes(provider)) continue
      items.push({ ...unit, provider })
    }
  }
  return items
}
