import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startInferenceServer, type InferenceServer } from '../harness/index.js'
import {
  compareRuns,
  lengthRuleSensitivity,
  lmEvalTasks,
  runLmEval,
  runOurs,
  type TaskComparison,
  type ToolRun,
} from './lm-eval-parity.js'

let server: InferenceServer
let work: string
let ours: ToolRun
let ref: ToolRun
let rows: TaskComparison[]

/**
 * Multiple-choice scoring against lm-evaluation-harness 0.4.13 on the same llama.cpp server and the
 * same local documents (fixtures/lm-eval: ARC-, HellaSwag- and TruthfulQA-style, MC1 and MC2).
 * lm-eval runs its `gguf` model (one echo request per choice, continuation found by text offset)
 * through `simple_evaluate`; bench/mc-vs-lm-eval.ts runs the `lm_eval` CLI itself.
 */
describe('multiple choice equals lm-evaluation-harness on a real server', () => {
  beforeAll(async () => {
    server = await startInferenceServer()
    work = await mkdtemp(path.join(os.tmpdir(), 'llmops-lm-eval-parity-'))
    // Both at once: lm-eval's Python start-up overlaps our run, and the server sees the two
    // tools' requests interleaved, so the loglikelihoods cannot depend on request order.
    ;[ref, ours] = await Promise.all([
      runLmEval(server.url, path.join(work, 'lm-eval'), 'api'),
      runOurs(server.baseUrl, path.join(work, 'ours')),
    ])
    rows = compareRuns(ours, ref)
  })
  afterAll(async () => {
    await server?.stop()
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('scores the same documents with the same context and choices', () => {
    expect(rows.map((r) => r.task)).toEqual([...lmEvalTasks])
    for (const r of rows) {
      expect(r.n.ours, r.task).toBeGreaterThanOrEqual(8)
      expect(r.n.ours, r.task).toBe(r.n.lmEval)
      expect(r.missing, r.task).toEqual([])
    }
  })

  it('agrees on every document: chosen answer, acc, acc_norm, MC2, per-choice loglikelihoods', () => {
    for (const r of rows) {
      expect(r.disagreements, r.task).toEqual([])
      expect(r.maxLlDiff, r.task).toBeLessThanOrEqual(1e-6)
      if (r.maxMc2Diff !== undefined) expect(r.maxMc2Diff, r.task).toBeLessThanOrEqual(1e-12)
    }
    for (const task of lmEvalTasks) {
      const a = ours.docs.get(task)!
      for (const [id, doc] of ref.docs.get(task)!) {
        const mine = a.get(id)!
        expect(mine.lls.length, `${task}/${id}`).toBe(doc.lls.length)
        mine.lls.forEach((ll, i) => expect(ll, `${task}/${id}[${i}]`).toBeCloseTo(doc.lls[i]!, 6))
      }
    }
  })

  it('gives the same aggregate acc, acc_norm and MC2', () => {
    for (const r of rows) {
      if (r.acc) expect(r.acc.ours, `${r.task} acc`).toBe(r.acc.lmEval)
      if (r.acc_norm) expect(r.acc_norm.ours, `${r.task} acc_norm`).toBe(r.acc_norm.lmEval)
      if (r.mc2) expect(r.mc2.ours, `${r.task} mc2`).toBeCloseTo(r.mc2.lmEval, 12)
    }
    expect(rows.filter((r) => r.acc_norm).map((r) => r.task)).toEqual([
      'local_arc',
      'local_hellaswag',
    ])
    expect(rows.find((r) => r.mc2)?.task).toBe('local_truthfulqa_mc2')
  })

  it('has documents on which a wrong acc_norm length rule would disagree', async () => {
    // Without these the parity above could not catch acc_norm divided by token count, by the
    // length including the delimiter, or not divided at all.
    const s = await lengthRuleSensitivity(server.url, ref)
    expect(s.tokenLength).toBeGreaterThan(0)
    expect(s.delimiterInLength).toBeGreaterThan(0)
    expect(s.unnormalised).toBeGreaterThan(0)
  })
})
