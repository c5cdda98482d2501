import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Pair } from './generate-pairs.js'

/** Everything python/reference_metrics.py reports for one pair. */
export interface ReferenceScores {
  bleu: number
  bleu_intl: number
  bleu_char_floor: number
  bleu_none_addk: number
  chrf: number
  chrfpp: number
  chrf_eps: number
  meteor: number
  [rouge: string]: number | number[]
}

export interface ReferenceRun {
  pairs: ReferenceScores[]
  stems: string[]
  corpus: { corpus_bleu: number; corpus_chrf: number }
  seconds: number
}

const ROOT = join(import.meta.dirname, '..', '..', '..')

/** The project's venv Python (scripts/setup-venv.sh installs python/requirements/*.txt into it). */
export function venvPython(): string {
  const py = join(ROOT, '.venv', 'bin', 'python')
  if (!existsSync(py))
    throw new Error(`${py} not found: install python/requirements/metrics.txt into .venv first`)
  return py
}

/** Runs the Python references over pairs and stem words in one batch (argument array, no shell). */
export function runPythonReference(
  pairs: readonly Pair[],
  stemWords: readonly string[] = [],
): ReferenceRun {
  const input =
    [
      ...pairs.map((p) => JSON.stringify({ kind: 'pair', ...p })),
      ...stemWords.map((w) => JSON.stringify({ kind: 'stem', word: w })),
    ].join('\n') + '\n'
  const started = process.hrtime.bigint()
  const res = spawnSync(venvPython(), [join(ROOT, 'python', 'reference_metrics.py')], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONWARNINGS: 'ignore' },
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (res.status !== 0)
    throw new Error(`reference_metrics.py failed (${res.status}): ${res.stderr}`)
  const lines = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
  const corpus = lines.pop() as { corpus_bleu: number; corpus_chrf: number }
  return {
    pairs: lines.slice(0, pairs.length) as ReferenceScores[],
    stems: lines.slice(pairs.length).map((l) => String(l.stem)),
    corpus,
    seconds,
  }
}
