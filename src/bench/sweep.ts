import type { RunRecord } from './run.js'

/** One load point of a sweep, with the figures the saturation rule reads. */
export interface SweepPoint {
  load: string
  /** Concurrency (closed loop) or offered rate in requests/s (open loop). */
  x: number
  request_throughput: number | null
  output_throughput: number | null
  goodput: number | null
  ttft_p50_ms: number | null
}

/** bench.json `sweeps[]`: where a scenario's load sweep stops scaling. */
export interface Sweep {
  scenario: string
  mode: 'closed' | 'open'
  points: SweepPoint[]
  /** The last load before the server stopped keeping up, or null when it kept scaling. */
  saturated_at: string | null
  reason: string | null
  /** The load with the highest goodput (requests/s meeting every SLO), when the scenario has SLOs. */
  best_goodput_at: string | null
  rule: string
}

/** Adding users must buy at least this share of the ideal (linear) throughput gain. */
const MIN_SCALING = 0.1
/** An open loop keeps up while it completes at least this share of the offered rate. */
const MIN_KEEP_UP = 0.9

const pct = (v: number) => `${Math.round(v * 100)}%`

/**
 * Finds the saturation point of each scenario's sweep (two or more loads of one mode). Closed loop:
 * the first concurrency past which more users add less than 10% of the throughput they ideally would
 * (e.g. 16 → 32 users, +2% tokens/s). Open loop: the first rate the server completes less than 90%
 * of (it cannot keep up; queues grow for as long as the run lasts).
 */
export function analyseSweeps(runs: readonly RunRecord[]): Sweep[] {
  const out: Sweep[] = []
  const scenarios = [...new Set(runs.map((r) => r.scenario))]
  for (const scenario of scenarios) {
    for (const mode of ['closed', 'open'] as const) {
      const points = runs
        .filter((r) => r.scenario === scenario && r.mode === mode)
        .map((r): SweepPoint => ({
          load: r.load,
          x: (mode === 'closed' ? r.concurrency : r.rate) ?? 0,
          request_throughput: r.summary.request_throughput,
          output_throughput: r.summary.output_throughput,
          goodput: r.slo ? r.summary.goodput : null,
          ttft_p50_ms: r.summary.ttft_ms.p50 ?? r.summary.ttft_ms.mean,
        }))
        .sort((a, b) => a.x - b.x)
      if (points.length < 2) continue
      let saturated: SweepPoint | null = null
      let reason: string | null = null
      if (mode === 'closed') {
        for (let i = 0; i + 1 < points.length && !saturated; i++) {
          const [a, b] = [points[i]!, points[i + 1]!]
          if (!a.output_throughput || b.output_throughput === null || a.x <= 0) continue
          const ideal = b.x / a.x - 1
          const actual = b.output_throughput / a.output_throughput - 1
          if (ideal > 0 && actual < MIN_SCALING * ideal) {
            saturated = a
            const ttft =
              a.ttft_p50_ms !== null && b.ttft_p50_ms !== null
                ? `, TTFT p50 ${a.ttft_p50_ms.toFixed(1)} → ${b.ttft_p50_ms.toFixed(1)} ms`
                : ''
            reason = `${a.load} → ${b.load}: ${pct(ideal)} more users, ${actual >= 0 ? '+' : ''}${pct(actual)} output tokens/s${ttft}`
          }
        }
      } else {
        const p = points.find(
          (q) => q.request_throughput !== null && q.request_throughput < MIN_KEEP_UP * q.x,
        )
        if (p) {
          const i = points.indexOf(p)
          saturated = i > 0 ? points[i - 1]! : null
          reason = `${p.load}: offered ${p.x} requests/s, completed ${p.request_throughput} requests/s`
        }
      }
      const withGoodput = points.filter((q) => q.goodput !== null && q.goodput > 0)
      const best = withGoodput.reduce<SweepPoint | null>(
        (m, q) => (m === null || q.goodput! > m.goodput! ? q : m),
        null,
      )
      out.push({
        scenario,
        mode,
        points,
        saturated_at: saturated?.load ?? (reason ? 'below the lowest load' : null),
        reason,
        best_goodput_at: best?.load ?? null,
        rule:
          mode === 'closed'
            ? `saturated where more users add < ${pct(MIN_SCALING)} of the ideal throughput gain`
            : `saturated where completed < ${pct(MIN_KEEP_UP)} of the offered rate`,
      })
    }
  }
  return out
}
