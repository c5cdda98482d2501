import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { stringify } from 'yaml'
import type { CommandContext } from '../../../src/cli/command.js'
import type { ResultRow } from '../../../src/contracts/results.js'
import { summarySchema, type Summary } from '../../../src/contracts/summary.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { runEvalCommand } from '../../../src/eval/command.js'
import { readResults } from '../../../src/eval/results-file.js'
import { loadProfile } from '../../../src/sim/profile.js'

export const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures/eval')

/** The example suites of fixtures/eval, with dataset paths made absolute. */
export function exampleSuites(): Record<string, unknown>[] {
  return [
    {
      name: 'qa',
      dataset: path.join(FIXTURES, 'qa.jsonl'),
      system: 'Answer with the answer only, no explanation.',
      prompt: '{{ question }}',
      reference: 'answer',
      generation: { temperature: 0, max_tokens: 32, seed: 1 },
      metrics: ['exact', 'rougeL', 'corpus_chrf'],
    },
    {
      name: 'mc',
      task: 'multiple_choice',
      dataset: path.join(FIXTURES, 'mc.jsonl'),
      prompt: 'Question: {{ question }}\nAnswer:',
    },
  ]
}

export const exampleProfile = () => loadProfile(path.join(FIXTURES, 'sim-profile.yml'))

/** Writes a config file into a fresh temporary directory and returns that directory. */
export async function writeConfig(config: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-eval-'))
  await writeFile(path.join(dir, 'llmops.yml'), stringify({ version: 1, ...config }))
  return dir
}

/** Providers `baseline` and `candidate` on one simulator, with fast retries. */
export function simProviders(url: string, extra: Record<string, unknown> = {}) {
  return {
    baseline: { base_url: url, model: 'baseline', concurrency: 4, max_retries: 4, ...extra },
    candidate: { base_url: url, model: 'candidate', concurrency: 4, max_retries: 4, ...extra },
  }
}

/** Runs `llmops eval` in-process with short backoffs; returns the result and the log lines. */
export async function evalCli(dir: string, args: string[], signal = new AbortController().signal) {
  const logger = memoryLogger()
  const ctx: CommandContext = {
    argv: ['--config', 'llmops.yml', ...args],
    env: {},
    cwd: dir,
    stdout: new PassThrough(),
    logger,
    signal,
    inAction: false,
  }
  const result = await runEvalCommand(ctx, { clientDeps: { retry: { baseMs: 1, capMs: 20 } } })
  return { result, lines: logger.lines }
}

export async function readOut(dir: string): Promise<{ rows: ResultRow[]; summary: Summary }> {
  const rows = (await readResults(path.join(dir, 'results.jsonl'))).rows
  const summary = summarySchema.parse(
    JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')),
  )
  return { rows, summary }
}

/** Rows without the fields that legitimately differ between runs, sorted by key. */
export function comparable(rows: readonly ResultRow[]): unknown[] {
  return rows
    .map(({ latency_ms: _l, cached: _c, ...rest }) => rest)
    .sort((a, b) =>
      `${a.suite}/${a.provider}/${a.case}`.localeCompare(`${b.suite}/${b.provider}/${b.case}`),
    )
}

/** Summary statistics without times and provenance. */
export function comparableSummary(s: Summary): unknown {
  return Object.fromEntries(
    Object.entries(s.suites).map(([suite, v]) => [
      suite,
      Object.fromEntries(
        Object.entries(v.providers).map(([p, g]) => [
          p,
          { cases: g.cases, errors: g.errors, metrics: g.metrics, corpus: g.corpus },
        ]),
      ),
    ]),
  )
}
