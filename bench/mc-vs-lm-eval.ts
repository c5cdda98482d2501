/**
 * Multiple-choice scoring, ours against lm-evaluation-harness, on the same server and the same data.
 * Starts llama.cpp's server (llama-cpp-python from .venv) on the generated tiny model, then runs
 *   - `llmops eval` (the ncc bundle of src/, as a child process) on fixtures/lm-eval/llmops.yml, and
 *   - `lm_eval run --model gguf` (lm-eval 0.4.13 from .venv) on fixtures/lm-eval/tasks/*.yaml,
 * and prints per task: n, acc, acc_norm (MC2 for TruthfulQA MC2) of both tools, the documents that
 * disagree, the largest per-choice loglikelihood difference, and each tool's wall time (process start
 * to exit, Python and Node start-up included). Also prints on how many documents a wrong acc_norm
 * length rule would change the 0/1 acc_norm, which is what makes the parity check able to fail.
 *
 *   npx tsx bench/mc-vs-lm-eval.ts [repeats=1]
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { bundlePath } from '../test/helpers/run-bundle.js'
import {
  compareRuns,
  lengthRuleSensitivity,
  runLmEval,
  runOurs,
  type ToolRun,
} from '../test/integration/eval/lm-eval-parity.js'
import { repoRoot, startInferenceServer } from '../test/integration/harness/index.js'

const repeats = Number(process.argv[2] ?? 1)

function runBundle(
  entry: string,
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...argv], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LLMOPS_ENTRY: 'cli', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, err }))
  })
}

const fmt = (x: number | undefined): string =>
  x === undefined || Number.isNaN(x) ? '-' : x.toFixed(4)

const entry = await bundlePath()
const server = await startInferenceServer()
const work = await mkdtemp(path.join(os.tmpdir(), 'llmops-mc-bench-'))
try {
  console.log(`server: llama-cpp-python on ${server.url}, model ${server.manifest.name}`)
  const oursTimes: number[] = []
  const refTimes: number[] = []
  let ours: ToolRun | undefined
  let ref: ToolRun | undefined
  for (let r = 0; r < repeats; r++) {
    // Alternate the order so neither tool always meets a warm server.
    const runRef = async () => {
      ref = await runLmEval(server.url, path.join(work, `lm-eval-${r}`))
      refTimes.push(ref.wallMs)
    }
    const runOur = async () => {
      ours = await runOurs(server.baseUrl, path.join(work, `ours-${r}`), (argv, env) =>
        runBundle(entry, argv, env),
      )
      oursTimes.push(ours.wallMs)
    }
    if (r % 2 === 0) {
      await runRef()
      await runOur()
    } else {
      await runOur()
      await runRef()
    }
  }
  if (!ours || !ref) throw new Error('no runs')
  const rows = compareRuns(ours, ref)
  const header = [
    'task',
    'n ours/lm-eval',
    'acc ours',
    'acc lm-eval',
    'acc_norm ours',
    'acc_norm lm-eval',
    'mc2 ours',
    'mc2 lm-eval',
    'disagree',
    'max |Δll|',
  ]
  const table = rows.map((t) => [
    t.task,
    `${t.n.ours}/${t.n.lmEval}`,
    fmt(t.acc?.ours),
    fmt(t.acc?.lmEval),
    fmt(t.acc_norm?.ours),
    fmt(t.acc_norm?.lmEval),
    fmt(t.mc2?.ours),
    fmt(t.mc2?.lmEval),
    String(t.disagreements.length + t.missing.length),
    t.maxLlDiff.toExponential(2),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')
  console.log(line(header))
  for (const row of table) console.log(line(row))
  for (const t of rows) {
    if (t.disagreements.length || t.missing.length)
      console.log(
        `${t.task}: ${[...t.disagreements, ...t.missing.map((m) => `${m} (missing)`)].join(', ')}`,
      )
    if (t.maxMc2Diff !== undefined)
      console.log(`${t.task}: max |Δmc2| ${t.maxMc2Diff.toExponential(2)}`)
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const o = median(oursTimes)
  const l = median(refTimes)
  const docs = rows.reduce((s, t) => s + t.n.ours, 0)
  const requests = [...ours.docs.values()].reduce(
    (s, byId) => s + [...byId.values()].reduce((n, d) => n + d.choices.length, 0),
    0,
  )
  const secs = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(', ')
  console.log(`runs (s): llmops eval ${secs(oursTimes)}; lm_eval ${secs(refTimes)}`)
  console.log(
    `wall time (median of ${repeats}; ${docs} documents, ${requests} echo requests each): llmops eval ${(o / 1000).toFixed(2)} s, ` +
      `lm_eval ${(l / 1000).toFixed(2)} s, ratio lm_eval/llmops ${(l / o).toFixed(2)}x`,
  )
  const s = await lengthRuleSensitivity(server.url, ref)
  console.log(
    `documents whose 0/1 acc_norm a wrong length rule would change: token count ${s.tokenLength}, ` +
      `delimiter counted ${s.delimiterInLength}, no normalisation ${s.unnormalised}`,
  )
} finally {
  await server.stop()
  await rm(work, { recursive: true, force: true })
}
