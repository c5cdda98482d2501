/**
 * BLEU, chrF, ROUGE-L and METEOR on 10,000 generated pairs: ours (in process) vs the Python
 * references (sacrebleu, rouge-score, nltk from .venv) in the same run. Prints both times, the
 * ratio and whether every score is identical (max abs diff). Both sides report the CPU time of the
 * scoring alone (process CPU time, so other load on a shared machine does not skew the ratio);
 * Python's interpreter start and imports and our WordNet table load are reported separately.
 *
 *   npx tsx bench/metrics-vs-python.ts [pairs]
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { sentenceBleu } from '../src/metrics/bleu.js'
import { sentenceChrf } from '../src/metrics/chrf.js'
import { meteorText } from '../src/metrics/meteor.js'
import { rougeScoreMulti } from '../src/metrics/rouge.js'
import { loadWordNet } from '../src/metrics/wordnet.js'
import { generatePairs, type Pair } from '../test/integration/metrics/generate-pairs.js'
import { venvPython } from '../test/integration/metrics/python-reference.js'

const N = Number(process.argv[2] ?? 10_000)
const pairs = generatePairs(N, 7)

const ours: Record<string, (p: Pair) => number> = {
  bleu: (p) => sentenceBleu(p.prediction, p.references).score,
  chrf: (p) => sentenceChrf(p.prediction, p.references),
  rougeL: (p) => rougeScoreMulti(['rougeL'], p.references, p.prediction).rougeL?.fmeasure ?? 0,
  meteor: (p) => meteorText(p.references, p.prediction),
}

let wnMs = 0
const oursTimes: Record<string, number> = {}
const oursScores: Record<string, number[]> = {}
for (const [name, fn] of Object.entries(ours)) {
  // The WordNet table (a large heap) is loaded right before METEOR, so the garbage it leaves is
  // not collected inside another metric's timing.
  if (name === 'meteor') {
    const wnStart = performance.now()
    loadWordNet()
    wnMs = performance.now() - wnStart
  }
  // Warm the JIT on a few pairs first (not timed), as a long-running eval would be.
  pairs.slice(0, 200).forEach(fn)
  const t0 = process.cpuUsage()
  oursScores[name] = pairs.map(fn)
  const used = process.cpuUsage(t0)
  oursTimes[name] = (used.user + used.system) / 1e6
}

const root = join(import.meta.dirname, '..')
const pyStart = performance.now()
const res = spawnSync(venvPython(), [join(root, 'python', 'reference_metrics.py'), '--bench'], {
  input: pairs.map((p) => JSON.stringify(p)).join('\n') + '\n',
  encoding: 'utf8',
  maxBuffer: 1 << 30,
  env: { ...process.env, PYTHONWARNINGS: 'ignore' },
})
const pyWall = (performance.now() - pyStart) / 1000
if (res.status !== 0) throw new Error(`python failed: ${res.stderr}`)
const py = JSON.parse(res.stdout) as {
  times: Record<string, number>
  scores: Record<string, number[]>
}

console.log(
  `metrics-vs-python: ${N} pairs (seeded), CPU seconds of scoring; WordNet table load ${wnMs.toFixed(0)} ms (once)`,
)
console.log('metric   ours (s)   python (s)   speed-up   identical (max abs diff)')
let totalOurs = 0
let totalPy = 0
for (const name of Object.keys(ours)) {
  const a = oursScores[name] ?? []
  const b = py.scores[name] ?? []
  let maxDiff = 0
  let mismatches = 0
  a.forEach((v, i) => {
    const d = Math.abs(v - (b[i] ?? NaN))
    if (!(d <= 1e-9)) mismatches++
    else maxDiff = Math.max(maxDiff, d)
  })
  const o = oursTimes[name] ?? 0
  const p = py.times[name] ?? 0
  totalOurs += o
  totalPy += p
  console.log(
    `${name.padEnd(8)} ${o.toFixed(3).padStart(8)}   ${p.toFixed(3).padStart(10)}   ${(p / o).toFixed(1).padStart(7)}x   ${mismatches === 0 ? 'yes' : `NO (${mismatches} differ)`} (${maxDiff.toExponential(1)})`,
  )
}
console.log(
  `all      ${totalOurs.toFixed(3).padStart(8)}   ${totalPy.toFixed(3).padStart(10)}   ${(totalPy / totalOurs).toFixed(1).padStart(7)}x`,
)
console.log(`python wall time including interpreter start and imports: ${pyWall.toFixed(1)} s`)
