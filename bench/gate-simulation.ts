/**
 * Simulates 1,000 synthetic PRs per scenario through the gate's decision code (runGate, default
 * policy, 10,000 resamples) and prints: the A/A false-fail rate, the power for a 2-point drop made of
 * flipped cases at n = 500, and the share of inconclusive verdicts at n = 50.
 *
 * Data model: each case has a latent pass probability p_i ~ Beta(2, 1) and the baseline outcome is
 * Bernoulli(p_i); a rerun of the same model redraws each case's outcome from Bernoulli(p_i) with
 * probability `noise` (decoding nondeterminism: batch-dependent kernels, sampling), so A/A pairs are
 * not identical but have the same expected pass rate. A continuous score per case (e.g. ROUGE-L)
 * moves by N(0, 0.05) on the redrawn cases. A "2-point drop"
 * additionally flips 2% of the n cases from pass to fail on the candidate.
 *
 * Run: npx tsx bench/gate-simulation.ts [--prs 1000] [--noise 0.01,0.03]
 */
import { parseArgs } from 'node:util'
import type { ResultRow } from '../src/contracts/results.js'
import { gateOptionsSchema } from '../src/gate/config-schema.js'
import { runGate } from '../src/gate/run-gate.js'
import type { Side } from '../src/gate/sides.js'
import { Xoshiro128 } from '../src/stats/prng.js'

const { values } = parseArgs({
  options: {
    prs: { type: 'string', default: '1000' },
    noise: { type: 'string', default: '0.01,0.03' },
  },
})
const PRS = Number(values.prs)
const NOISES = values.noise.split(',').map(Number)
const options = gateOptionsSchema.parse({})

function beta21(rng: Xoshiro128): number {
  // Beta(2, 1) by inversion: F(x) = x^2.
  return Math.sqrt(rng.nextFloat())
}

function normal(rng: Xoshiro128): number {
  const u = Math.max(rng.nextFloat(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat())
}

function rowOf(provider: string, i: number, pass: boolean, score: number): ResultRow {
  return {
    suite: 'sim',
    case: `c${i}`,
    provider,
    model: provider,
    input: '',
    output: '',
    metrics: { exact_match: pass, rougeL: score },
    error: null,
    latency_ms: null,
    usage: {},
    cached: false,
  }
}

function side(role: 'baseline' | 'candidate', rows: ResultRow[]): Side {
  return {
    role,
    provider: role,
    dir: '',
    rows,
    summary: null,
    bench: null,
    extra: {},
    provenance: null,
  }
}

/** One synthetic PR: returns the gate's verdict. */
async function simulatePr(
  rng: Xoshiro128,
  n: number,
  noise: number,
  dropPoints: number,
): Promise<string> {
  const base: ResultRow[] = []
  const cand: ResultRow[] = []
  const flipsWanted = Math.round((dropPoints / 100) * n)
  let flipped = 0
  for (let i = 0; i < n; i++) {
    const p = beta21(rng)
    const pass = rng.nextFloat() < p
    const score = Math.min(1, Math.max(0, p * 0.8 + 0.1 * normal(rng)))
    let cPass = pass
    let cScore = score
    if (rng.nextFloat() < noise) {
      cPass = rng.nextFloat() < p
      cScore = Math.min(1, Math.max(0, score + 0.05 * normal(rng)))
    }
    base.push(rowOf('baseline', i, pass, score))
    cand.push(rowOf('candidate', i, cPass, cScore))
  }
  // The regression: flip passing candidate cases to failing until the drop is reached.
  for (let i = 0; i < n && flipped < flipsWanted; i++) {
    const j = rng.nextInt(n)
    const row = cand[j]!
    if (row.metrics.exact_match === true) {
      row.metrics = { ...row.metrics, exact_match: false }
      flipped++
    }
  }
  const outcome = await runGate({
    baseline: side('baseline', base),
    candidate: side('candidate', cand),
    source: {
      kind: 'side-by-side',
      description: 'simulation',
      commit: null,
      created_at: null,
      age_days: null,
      url: null,
    },
    rules: [],
    options: { ...options, seed: rng.nextUint32() },
  })
  return outcome.verdict
}

async function scenario(name: string, n: number, noise: number, drop: number, seed: number) {
  const rng = new Xoshiro128(seed)
  const counts = { pass: 0, fail: 0, inconclusive: 0 }
  const start = performance.now()
  for (let i = 0; i < PRS; i++)
    counts[(await simulatePr(rng, n, noise, drop)) as keyof typeof counts]++
  const pct = (k: number) => `${((100 * k) / PRS).toFixed(1)}%`
  console.log(
    `${name.padEnd(34)} n=${String(n).padStart(4)} noise=${noise.toFixed(2)}  fail ${pct(counts.fail).padStart(6)}  ` +
      `inconclusive ${pct(counts.inconclusive).padStart(6)}  pass ${pct(counts.pass).padStart(6)}  (${((performance.now() - start) / 1000).toFixed(0)} s)`,
  )
  return counts
}

console.log(
  `gate simulation: ${PRS} synthetic PRs per scenario, default policy (margin 1 point, alpha 0.05, Holm over 2 metrics + coverage)`,
)
for (const noise of NOISES) {
  const aa = await scenario('A/A (no change)', 500, noise, 0, 1)
  const power = await scenario('2-point drop of flipped cases', 500, noise, 2, 2)
  const small = await scenario('A/A at n = 50', 50, noise, 0, 3)
  console.log(
    `  => noise ${noise}: A/A false-fail rate ${((100 * aa.fail) / PRS).toFixed(1)}% (target <= 1%), ` +
      `power ${((100 * power.fail) / PRS).toFixed(1)}% (target >= 80%), inconclusive at n = 50 ${((100 * small.inconclusive) / PRS).toFixed(1)}%`,
  )
}
