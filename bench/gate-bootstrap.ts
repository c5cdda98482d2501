/**
 * Measures the paired bootstrap of a pass/fail metric's mean delta (10,000 resamples) as the gate
 * runs it (BCa; multinomial counts for samples with few distinct values) against the anchor of
 * drawing n indices per resample (the generic bootstrap, same inputs), side by side.
 *
 * Run: npx tsx bench/gate-bootstrap.ts
 */
import { bootstrapMeanBca, bootstrapStatistic } from '../src/stats/bootstrap.js'

const mean = (s: Float64Array) => s.reduce((a, v) => a + v, 0) / s.length

function deltas(n: number, regress: number, improve: number): Float64Array {
  const d = new Float64Array(n)
  for (let i = 0; i < regress; i++) d[i] = -1
  for (let i = 0; i < improve; i++) d[regress + i] = 1
  return d
}

function time(f: () => unknown, reps: number): number {
  f()
  const start = performance.now()
  for (let i = 0; i < reps; i++) f()
  return (performance.now() - start) / reps
}

console.log(
  'paired bootstrap of a mean delta, 10,000 resamples: gate path vs index resampling (anchor)',
)
for (const [n, regress, improve] of [
  [50, 3, 1],
  [500, 20, 8],
  [5000, 120, 60],
] as const) {
  const d = deltas(n, regress, improve)
  const ours = time(() => bootstrapMeanBca(d), 5)
  const anchor = time(() => bootstrapStatistic(d, mean), 5)
  const a = bootstrapMeanBca(d).ci
  const b = bootstrapStatistic(d, mean).ci
  console.log(
    `n=${String(n).padStart(5)}  gate ${ours.toFixed(1).padStart(7)} ms  anchor ${anchor.toFixed(1).padStart(7)} ms  ` +
      `ratio ${(anchor / ours).toFixed(1)}x  CI gate [${a.map((v) => v.toFixed(4)).join(', ')}] anchor(percentile) [${b.map((v) => v.toFixed(4)).join(', ')}]`,
  )
}
