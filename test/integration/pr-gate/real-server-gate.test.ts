import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchSchema } from '../../../src/contracts/bench.js'
import { gateSchema } from '../../../src/contracts/gate.js'
import { resultRowSchema } from '../../../src/contracts/results.js'
import { summarySchema } from '../../../src/contracts/summary.js'
import { runBundledCli } from '../../helpers/run-bundle.js'
import { startInferenceServer, type InferenceServer } from '../harness/index.js'

let server: InferenceServer
let work: string

/**
 * The whole PR gate through the bundled CLI against a real OpenAI-compatible server (llama.cpp's
 * server on the generated tiny model): eval with a generate suite, a multiple-choice suite scored
 * from echoed prompt logprobs and the safety metrics, the benchmark, and the gate. Baseline and
 * candidate are the same model, so the gate must not fail.
 */
describe('the PR gate on a real inference server, through dist', () => {
  beforeAll(async () => {
    server = await startInferenceServer()
    work = await mkdtemp(path.join(os.tmpdir(), 'llmops-real-gate-'))
    const qa = Array.from({ length: 12 }, (_, i) => ({
      id: `q${i}`,
      q: `Tell me about item number ${i}.`,
      ref: `Item ${i} is an item.`,
    }))
    const mc = Array.from({ length: 6 }, (_, i) => ({
      id: `m${i}`,
      question: `Which word comes after ${['one', 'two', 'three', 'four', 'five', 'six'][i]}?`,
      choices: ['apple', 'river', 'seven', 'blue'],
      gold: 2,
    }))
    await writeFile(path.join(work, 'qa.jsonl'), qa.map((r) => JSON.stringify(r)).join('\n') + '\n')
    await writeFile(path.join(work, 'mc.jsonl'), mc.map((r) => JSON.stringify(r)).join('\n') + '\n')
    await writeFile(
      path.join(work, 'llmops.yml'),
      [
        'version: 1',
        'providers:',
        `  baseline: { base_url: "${server.baseUrl}", model: "${server.model}", concurrency: 2 }`,
        `  candidate: { base_url: "${server.baseUrl}", model: "${server.model}", concurrency: 2 }`,
        'suites:',
        '  - name: qa',
        '    dataset: qa.jsonl',
        '    prompt: "{{ q }}"',
        '    reference: ref',
        '    generation: { temperature: 0, max_tokens: 12, seed: 1 }',
        '    metrics: [rougeL, bleu]',
        '  - name: mc',
        '    task: multiple_choice',
        '    dataset: mc.jsonl',
        '    prompt: "Question: {{ question }}\\nAnswer:"',
        '    choices: choices',
        '    gold: gold',
        'safety:',
        '  toxicity: { scorer: lexicon }',
        'benchmark:',
        '  scenarios: [{ name: tiny, concurrency: [2], requests: 12, warmup: 2, input_tokens: 16, output_tokens: 8 }]',
      ].join('\n'),
    )
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('evaluates, benchmarks and gates both sides, and the gate does not fail on identical models', async () => {
    for (const side of ['baseline', 'candidate']) {
      const ev = await runBundledCli(
        [
          'eval',
          '--config',
          'llmops.yml',
          '--provider',
          side,
          '--out',
          `${side}/eval`,
          '--no-cache',
        ],
        { cwd: work, timeoutMs: 600_000 },
      )
      expect(ev.exitCode, ev.stderr).toBe(0)
      const rows = (await readFile(path.join(work, side, 'eval', 'results.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => resultRowSchema.parse(JSON.parse(l)))
      expect(rows.filter((r) => r.suite === 'qa')).toHaveLength(12)
      expect(
        rows.filter((r) => r.error !== null),
        JSON.stringify(rows.find((r) => r.error)),
      ).toEqual([])
      const mcRows = rows.filter((r) => r.suite === 'mc')
      expect(mcRows).toHaveLength(6)
      for (const r of mcRows) expect([0, 1, true, false]).toContain(r.metrics.acc)
      expect(rows.some((r) => typeof r.metrics['safety/toxicity'] === 'number')).toBe(true)
      // The server is identified (llama-cpp-python names itself only in its FastAPI description).
      const summary = summarySchema.parse(
        JSON.parse(await readFile(path.join(work, side, 'eval', 'summary.json'), 'utf8')),
      )
      expect(Object.values(summary.provenance.servers)).toContainEqual(
        expect.objectContaining({ name: 'llama-cpp-python', version: '0.3.36' }),
      )

      const bench = await runBundledCli(
        ['bench', '--config', 'llmops.yml', '--provider', side, '--out', `${side}/bench`],
        { cwd: work, timeoutMs: 600_000 },
      )
      expect(bench.exitCode, bench.stderr).toBe(0)
      const b = benchSchema.parse(
        JSON.parse(await readFile(path.join(work, side, 'bench', 'bench.json'), 'utf8')),
      )
      expect(b.requests.filter((r) => r.ok)).toHaveLength(12)
      expect(b.provenance?.servers.candidate).toEqual({
        name: 'llama-cpp-python',
        version: '0.3.36',
      })
      // llama.cpp exports no latency histograms: no server cross-check, and the run says so.
      expect(b.runs[0]?.server_metrics).toBeNull()
      for (const r of b.requests) expect(r.ttft_ms).toBeGreaterThan(0)
    }
    const gate = await runBundledCli(
      [
        'gate',
        '--baseline',
        'baseline',
        '--candidate',
        'candidate',
        '--baseline-provider',
        'baseline',
        '--candidate-provider',
        'candidate',
        '--config',
        'llmops.yml',
        '--out',
        'gate',
      ],
      { cwd: work, timeoutMs: 300_000 },
    )
    expect(gate.exitCode, gate.stderr).toBe(0)
    const g = gateSchema.parse(
      JSON.parse(await readFile(path.join(work, 'gate', 'gate.json'), 'utf8')),
    )
    expect(g.verdict).not.toBe('fail')
    expect(g.checks.some((c) => c.name.startsWith('qa/'))).toBe(true)
    const report = await readFile(path.join(work, 'gate', 'report.md'), 'utf8')
    expect(report).toContain('llama')
  })
})
