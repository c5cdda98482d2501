// Cold start of the bundled entry (dist/index.js through bin/llmops.js): print help, and parse a config.
// Anchor: a bare `node -e ''` start in the same script. Prints medians of N runs and the ratio.
// Usage: npx tsx bench/cold-start.ts [runs=15]   (run `npm run build` first so dist/ is current)
import { spawnSync } from 'node:child_process'

const runs = Math.max(10, Number(process.argv[2] ?? 15))
const env = {
  ...process.env,
  CANDIDATE_URL: 'http://127.0.0.1:8000/v1',
  BASELINE_URL: 'http://127.0.0.1:8001/v1',
  JUDGE_URL: 'http://127.0.0.1:8002/v1',
  RAY_ADDRESS: 'http://127.0.0.1:8265',
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

function time(args: string[]): number {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(process.execPath, args, { env, stdio: 'pipe' })
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (r.status !== 0)
      throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`)
    samples.push(ms)
  }
  return median(samples)
}

const bare = time(['-e', ''])
const help = time(['bin/llmops.js', '--help'])
const validate = time([
  'bin/llmops.js',
  'validate',
  '--config',
  'fixtures/config/valid/design-sketch.yml',
])
console.log(`cold start, median of ${runs} runs (node ${process.version})`)
console.log(`  node -e ''               ${bare.toFixed(1)} ms  (anchor)`)
console.log(
  `  llmops --help            ${help.toFixed(1)} ms  ratio ${(help / bare).toFixed(2)}x  (+${(help - bare).toFixed(1)} ms)`,
)
console.log(
  `  llmops validate (config) ${validate.toFixed(1)} ms  ratio ${(validate / bare).toFixed(2)}x  (+${(validate - bare).toFixed(1)} ms)`,
)
