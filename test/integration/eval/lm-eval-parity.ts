import { spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { resultRowSchema } from '../../../src/contracts/results.js'
import { runCliCaptured } from '../../helpers/run-cli.js'
import { repoRoot, venvBin } from '../harness/index.js'

/** The lm-eval task folder and the llmops config holding the same multiple-choice tasks. */
export const fixtureDir = path.join(repoRoot, 'fixtures', 'lm-eval')
export const lmEvalTasks = [
  'local_arc',
  'local_hellaswag',
  'local_truthfulqa_mc1',
  'local_truthfulqa_mc2',
] as const
/** The MC2 task: lm-eval reports its score as `acc`, llmops as `mc2`. */
const MC2_TASK = 'local_truthfulqa_mc2'

/** One document as a tool scored it: the loglikelihood of each choice and the 0/1 metrics. */
export interface ScoredDoc {
  /** The context and the choices sent (each continuation is `" " + choice`). */
  context: string
  choices: string[]
  /** Index of the gold choice. */
  gold: number
  lls: number[]
  /** Index of the choice with the highest loglikelihood, as the tool reports it. */
  pred: number
  acc: number
  acc_norm?: number
  mc2?: number
}

/** task → document id → scores, and how long the tool took end to end. */
export interface ToolRun {
  docs: Map<string, Map<string, ScoredDoc>>
  wallMs: number
}

function put(run: ToolRun['docs'], task: string, id: string, doc: ScoredDoc): void {
  let byId = run.get(task)
  if (!byId) run.set(task, (byId = new Map<string, ScoredDoc>()))
  byId.set(id, doc)
}

/**
 * Runs `llmops eval` (the source CLI, in process) on fixtures/lm-eval/llmops.yml against `baseUrl`
 * (`…/v1`) and reads results.jsonl. The CLI can also be run as a child process by passing `cli`.
 */
export async function runOurs(
  baseUrl: string,
  outDir: string,
  cli?: (argv: string[], env: Record<string, string>) => Promise<{ code: number; err: string }>,
): Promise<ToolRun> {
  const argv = [
    'eval',
    '--config',
    path.join(fixtureDir, 'llmops.yml'),
    '--out',
    outDir,
    '--no-cache',
  ]
  const env = { LLM_URL: baseUrl }
  const t0 = performance.now()
  const res = cli ? await cli(argv, env) : await runCliCaptured(argv, { env, cwd: repoRoot })
  const wallMs = performance.now() - t0
  if (res.code !== 0) throw new Error(`llmops eval exited ${res.code}:\n${res.err}`)
  const docs: ToolRun['docs'] = new Map()
  const text = await readFile(path.join(outDir, 'results.jsonl'), 'utf8')
  for (const line of text.trim().split('\n')) {
    const row = resultRowSchema.parse(JSON.parse(line))
    if (row.error) throw new Error(`${row.suite}/${row.case}: ${row.error.message}`)
    const lls = row.loglikelihoods as number[]
    const input = row.input as { context: string; choices: string[]; gold: number }
    const m = row.metrics
    put(docs, row.suite, row.case, {
      context: input.context,
      choices: input.choices,
      gold: input.gold,
      lls,
      pred: input.choices.indexOf(row.output ?? ''),
      acc: Number(m.acc),
      ...(typeof m.acc_norm === 'number' ? { acc_norm: m.acc_norm } : {}),
      ...(typeof m.mc2 === 'number' ? { mc2: m.mc2 } : {}),
    })
  }
  return { docs, wallMs }
}

function spawnChecked(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}:\n${out.slice(-4000)}`)),
    )
  })
}

async function samplesFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true })
  return entries
    .filter((e) => path.basename(e).startsWith('samples_'))
    .map((e) => path.join(dir, e))
}

/** The first index of the maximum (`np.argmax`). */
function argmaxOf(values: readonly number[]): number {
  let best = 0
  values.forEach((v, i) => {
    if (v > values[best]!) best = i
  })
  return best
}

/**
 * Runs lm-evaluation-harness from `.venv` with its `gguf` model (llama.cpp's server: one
 * `/v1/completions` request per choice with echo and logprobs) on fixtures/lm-eval/tasks against
 * `serverUrl` (no `/v1`), offline, and reads its `--log_samples` files. `cli` runs `lm_eval run`
 * as users do; `api` runs fixtures/lm-eval/run_lm_eval.py, the same `simple_evaluate` without
 * first indexing lm-eval's built-in tasks (about 15 s of the CLI's start-up on 2 cores).
 */
export async function runLmEval(
  serverUrl: string,
  outDir: string,
  mode: 'cli' | 'api' = 'cli',
): Promise<ToolRun> {
  const hf = path.join(outDir, 'hf')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HF_HOME: hf,
    HF_DATASETS_CACHE: path.join(hf, 'datasets'),
    HF_DATASETS_OFFLINE: '1',
    HF_HUB_OFFLINE: '1',
    TRANSFORMERS_OFFLINE: '1',
    TOKENIZERS_PARALLELISM: 'false',
    // tasks/utils.py is imported from the fixtures folder: no __pycache__ there.
    PYTHONDONTWRITEBYTECODE: '1',
  }
  const samplesDir = path.join(outDir, 'out')
  const t0 = performance.now()
  if (mode === 'api') {
    await spawnChecked(
      venvBin('python'),
      [path.join(fixtureDir, 'run_lm_eval.py'), serverUrl, samplesDir, ...lmEvalTasks],
      { cwd: repoRoot, env },
    )
  } else {
    await spawnChecked(
      venvBin('lm_eval'),
      [
        'run',
        '--model',
        'gguf',
        '--model_args',
        `base_url=${serverUrl}`,
        '--tasks',
        lmEvalTasks.join(','),
        '--include_path',
        path.join(fixtureDir, 'tasks'),
        '--log_samples',
        '--output_path',
        samplesDir,
      ],
      // The task YAMLs name their data files relative to the repository root.
      { cwd: repoRoot, env },
    )
  }
  const wallMs = performance.now() - t0
  const docs: ToolRun['docs'] = new Map()
  for (const file of await samplesFiles(samplesDir)) {
    const task = lmEvalTasks.find((t) => path.basename(file).startsWith(`samples_${t}_`))
    if (!task) continue
    const text = await readFile(file, 'utf8')
    for (const line of text.trim().split('\n')) {
      const s = JSON.parse(line) as {
        doc: { id: string }
        target: string | number
        arguments: Record<string, { arg_0: string; arg_1: string }>
        filtered_resps: [string, string][]
        acc: number
        acc_norm?: number
      }
      const lls = s.filtered_resps.map(([ll]) => Number(ll))
      put(docs, task, s.doc.id, {
        // arg_0 is the context, arg_1 target_delimiter + choice.
        context: s.arguments.gen_args_0?.arg_0 ?? '',
        choices: Object.values(s.arguments).map((a) => a.arg_1.slice(1)),
        gold: Number(s.target),
        lls,
        pred: argmaxOf(lls),
        ...(task === MC2_TASK
          ? { acc: NaN, mc2: s.acc }
          : { acc: s.acc, ...(s.acc_norm === undefined ? {} : { acc_norm: s.acc_norm }) }),
      })
    }
  }
  return { docs, wallMs }
}

/** Side-by-side numbers of one task. */
export interface TaskComparison {
  task: string
  n: { ours: number; lmEval: number }
  acc?: { ours: number; lmEval: number }
  acc_norm?: { ours: number; lmEval: number }
  mc2?: { ours: number; lmEval: number }
  /** Documents where the chosen answer, acc or acc_norm (MC2: beyond 1e-12) differ. */
  disagreements: string[]
  /** Documents present in one tool's output only. */
  missing: string[]
  /** Largest |ll_ours − ll_lmeval| over every choice of every document. */
  maxLlDiff: number
  /** Largest |mc2_ours − mc2_lmeval| (MC2 task). */
  maxMc2Diff?: number
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / (xs.length || 1)

/** Compares two runs document by document. */
export function compareRuns(ours: ToolRun, ref: ToolRun): TaskComparison[] {
  return lmEvalTasks.map((task) => {
    const a = ours.docs.get(task) ?? new Map<string, ScoredDoc>()
    const b = ref.docs.get(task) ?? new Map<string, ScoredDoc>()
    const ids = [...new Set([...a.keys(), ...b.keys()])].sort()
    const both = ids.filter((id) => a.has(id) && b.has(id))
    const disagreements: string[] = []
    let maxLlDiff = 0
    let maxMc2Diff = 0
    for (const id of both) {
      const x = a.get(id)!
      const y = b.get(id)!
      if (x.lls.length !== y.lls.length) maxLlDiff = Infinity
      x.lls.forEach((ll, i) => (maxLlDiff = Math.max(maxLlDiff, Math.abs(ll - (y.lls[i] ?? NaN)))))
      if (x.context !== y.context || JSON.stringify(x.choices) !== JSON.stringify(y.choices))
        disagreements.push(`${id} (request text)`)
      if (x.pred !== y.pred) disagreements.push(`${id} (chosen answer)`)
      if (task === MC2_TASK) {
        const d = Math.abs((x.mc2 ?? NaN) - (y.mc2 ?? NaN))
        maxMc2Diff = Math.max(maxMc2Diff, Number.isNaN(d) ? Infinity : d)
        if (!(d <= 1e-12)) disagreements.push(`${id} (mc2)`)
      } else {
        if (x.acc !== y.acc) disagreements.push(`${id} (acc)`)
        // lm-eval reports acc_norm only where the task lists it (not for TruthfulQA MC1).
        if (y.acc_norm !== undefined && x.acc_norm !== y.acc_norm)
          disagreements.push(`${id} (acc_norm)`)
      }
    }
    const pick = (m: Map<string, ScoredDoc>, k: 'acc' | 'acc_norm' | 'mc2') =>
      mean([...m.values()].map((d) => d[k] ?? NaN))
    const side = (k: 'acc' | 'acc_norm' | 'mc2') => ({ ours: pick(a, k), lmEval: pick(b, k) })
    return {
      task,
      n: { ours: a.size, lmEval: b.size },
      ...(task === MC2_TASK
        ? { mc2: side('mc2'), maxMc2Diff }
        : {
            acc: side('acc'),
            ...([...b.values()].some((d) => d.acc_norm !== undefined)
              ? { acc_norm: side('acc_norm') }
              : {}),
          }),
      disagreements,
      missing: ids.filter((id) => !both.includes(id)),
      maxLlDiff,
    }
  })
}

/**
 * On how many documents of lm-eval's own run a wrong acc_norm length rule would change the 0/1
 * acc_norm: the token count (from llama-cpp-python's `/extras/tokenize`), the length with the
 * delimiter counted, or no normalisation at all. Each count above zero means a parity check on these
 * documents fails if our acc_norm used that rule.
 */
export async function lengthRuleSensitivity(
  serverUrl: string,
  ref: ToolRun,
): Promise<{ tokenLength: number; delimiterInLength: number; unnormalised: number }> {
  const tokenize = async (text: string): Promise<number> => {
    const res = await fetch(`${serverUrl}/extras/tokenize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: text }),
    })
    if (!res.ok) throw new Error(`/extras/tokenize answered ${res.status}`)
    return ((await res.json()) as { tokens: number[] }).tokens.length
  }
  // Token counts of " " + choice without the BOS the server adds to every text.
  const bos = await tokenize('')
  const out = { tokenLength: 0, delimiterInLength: 0, unnormalised: 0 }
  for (const [task, byId] of ref.docs) {
    if (task === MC2_TASK) continue
    for (const doc of byId.values()) {
      const chars = doc.choices.map((c) => Array.from(c).length)
      const tokens = await Promise.all(
        doc.choices.map(async (c) => (await tokenize(` ${c}`)) - bos),
      )
      const hit = (divisors: number[]) =>
        argmaxOf(doc.lls.map((ll, i) => ll / divisors[i]!)) === doc.gold
      const right = hit(chars)
      if (hit(tokens) !== right) out.tokenLength++
      if (hit(chars.map((n) => n + 1)) !== right) out.delimiterInLength++
      if (hit(chars.map(() => 1)) !== right) out.unnormalised++
    }
  }
  return out
}
