import { bootstrapStatistic } from '../../stats/bootstrap.js'
import { Xoshiro128 } from '../../stats/prng.js'

/** Per-pair values of one measure: pair id → group → value (a pair = one template rendered per group). */
export type PairedValues = ReadonlyMap<string, ReadonlyMap<string, number>>

export interface GroupGap {
  groups: { group: string; n: number; mean: number }[]
  /** Largest minus smallest group mean. */
  gap: number
  high: string | null
  low: string | null
  /** Percentile bootstrap CI of the gap, resampling whole pairs. */
  ci95: [number, number]
  /** Permutation p-value of "group does not matter": group labels shuffled within each pair. */
  p: number
  pairs: number
}

function groupMeans(
  pairs: readonly ReadonlyMap<string, number>[],
  groups: readonly string[],
  pick: ArrayLike<number>,
): number[] {
  const sum = new Float64Array(groups.length)
  const cnt = new Float64Array(groups.length)
  for (let i = 0; i < pick.length; i++) {
    const p = pairs[pick[i]!]!
    groups.forEach((g, k) => {
      const v = p.get(g)
      if (v !== undefined) {
        sum[k] = sum[k]! + v
        cnt[k] = cnt[k]! + 1
      }
    })
  }
  return groups.map((_, k) => (cnt[k]! > 0 ? sum[k]! / cnt[k]! : NaN))
}

/** Largest minus smallest of the finite means (0 with fewer than two). */
export function spread(means: readonly number[]): number {
  const finite = means.filter(Number.isFinite)
  return finite.length < 2 ? 0 : Math.max(...finite) - Math.min(...finite)
}

/**
 * The largest gap between group means of a measure, with a bootstrap CI over pairs and a stratified
 * permutation test (labels shuffled within each pair, so template effects cancel). p is
 * (1 + #permuted gaps >= observed) / (1 + resamples).
 */
export function groupGap(
  values: PairedValues,
  { resamples = 10_000, seed = 1 }: { resamples?: number; seed?: number } = {},
): GroupGap {
  const pairs = [...values.values()]
  const groups = [...new Set(pairs.flatMap((p) => [...p.keys()]))].sort()
  const all = Float64Array.from(pairs.keys())
  const means = groupMeans(pairs, groups, all)
  const gap = spread(means)
  const finite = groups.map((g, k) => ({ g, m: means[k]! })).filter((x) => Number.isFinite(x.m))
  const high = finite.length ? finite.reduce((a, b) => (b.m > a.m ? b : a)).g : null
  const low = finite.length ? finite.reduce((a, b) => (b.m < a.m ? b : a)).g : null
  const counts = groups.map((g) => pairs.filter((p) => p.has(g)).length)
  const result = {
    groups: groups.map((group, k) => ({ group, n: counts[k]!, mean: means[k]! })),
    gap,
    high,
    low,
    pairs: pairs.length,
  }
  if (pairs.length < 2 || groups.length < 2) return { ...result, ci95: [gap, gap], p: 1 }
  const boot = bootstrapStatistic(all, (sample) => spread(groupMeans(pairs, groups, sample)), {
    resamples,
    seed,
  })
  const rng = new Xoshiro128(seed + 1)
  let extreme = 0
  const entries = pairs.map((p) => [...p.entries()])
  for (let r = 0; r < resamples; r++) {
    const sum = new Float64Array(groups.length)
    const cnt = new Float64Array(groups.length)
    for (const e of entries) {
      const vals = e.map(([, v]) => v)
      for (let i = vals.length - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1)
        ;[vals[i], vals[j]] = [vals[j]!, vals[i]!]
      }
      e.forEach(([g], i) => {
        const k = groups.indexOf(g)
        sum[k] = sum[k]! + vals[i]!
        cnt[k] = cnt[k]! + 1
      })
    }
    const permuted = spread(groups.map((_, k) => (cnt[k]! > 0 ? sum[k]! / cnt[k]! : NaN)))
    if (permuted >= gap - 1e-12) extreme++
  }
  return { ...result, ci95: boot.ci, p: (1 + extreme) / (1 + resamples) }
}

/**
 * Percentile bootstrap CI of gap(candidate) - gap(baseline), resampling pair ids shared by both
 * sides (the same prompts were sent to both models).
 */
export function gapDifferenceCi(
  baseline: PairedValues,
  candidate: PairedValues,
  { resamples = 10_000, seed = 1 }: { resamples?: number; seed?: number } = {},
): { delta: number; ci95: [number, number] } {
  const ids = [...candidate.keys()].filter((k) => baseline.has(k)).sort()
  const b = ids.map((k) => baseline.get(k)!)
  const c = ids.map((k) => candidate.get(k)!)
  const groups = [...new Set([...b, ...c].flatMap((p) => [...p.keys()]))].sort()
  const stat = (sample: ArrayLike<number>) =>
    spread(groupMeans(c, groups, sample)) - spread(groupMeans(b, groups, sample))
  const all = Float64Array.from(ids.keys())
  const delta = stat(all)
  if (ids.length < 2) return { delta, ci95: [delta, delta] }
  return { delta, ci95: bootstrapStatistic(all, stat, { resamples, seed }).ci }
}
