import { describe, expect, it } from 'vitest'
import type { GateCheck } from '../../../src/contracts/gate.js'
import type { CheckProvider } from '../../../src/gate/check-provider.js'
import { claimedByProviders } from '../../../src/gate/check-providers.js'
import { runGate } from '../../../src/gate/run-gate.js'
import {
  binaryRows,
  flips,
  gateOptions,
  provenance,
  row,
  sideOf,
  SIDE_BY_SIDE,
} from './builders.js'

async function gate(
  rows: ReturnType<typeof row>[],
  extra: Partial<Parameters<typeof runGate>[0]> = {},
) {
  return runGate({
    baseline: sideOf('baseline', rows),
    candidate: sideOf('candidate', rows),
    source: SIDE_BY_SIDE,
    rules: [],
    options: gateOptions(),
    ...extra,
  })
}

const check = (o: Awaited<ReturnType<typeof gate>>, name: string) =>
  o.checks.find((c) => c.name === name)!

describe('runGate verdicts', () => {
  it('fails a 5-point drop at n = 500', async () => {
    const o = await gate(binaryRows('qa', 'em', flips(500, { regress: 25 })))
    expect(o.verdict).toBe('fail')
    expect(check(o, 'qa/em').delta).toBeCloseTo(-0.05, 12)
    expect(check(o, 'qa/em').adjusted_p!).toBeLessThan(0.001)
    expect(o.regressions).toHaveLength(25)
  })

  it('passes an identical rerun with a zero-width CI', async () => {
    const o = await gate(binaryRows('qa', 'em', flips(500)))
    expect(o.verdict).toBe('pass')
    expect(check(o, 'qa/em').ci95).toEqual([0, 0])
    expect(o.conclusion).toBe('success')
  })

  it('does not fail on one flip in 20 cases: the CI cannot rule out the margin, so inconclusive', async () => {
    const o = await gate(binaryRows('qa', 'em', flips(20, { regress: 1 })))
    expect(o.verdict).toBe('inconclusive')
    expect(check(o, 'qa/em').p_value).toBe(0.5)
    expect(o.conclusion).toBe('neutral')
  })

  it('maps inconclusive through on_inconclusive', async () => {
    const o = await gate(binaryRows('qa', 'em', flips(20, { regress: 1 })), {
      options: gateOptions({ on_inconclusive: 'fail' }),
    })
    expect(o.conclusion).toBe('failure')
  })

  it('passes a significant drop that stays within a configured margin', async () => {
    const o = await gate(binaryRows('qa', 'em', flips(2000, { regress: 40 })), {
      rules: [{ metric: 'qa/em', max_drop: 0.05 }],
    })
    expect(check(o, 'qa/em').verdict).toBe('pass')
    expect(check(o, 'qa/em').reason).toContain('within the margin')
  })

  it('fails a broken absolute bound', async () => {
    const o = await gate(binaryRows('qa', 'em', flips(100)), {
      rules: [{ metric: 'qa/*', min: 0.8 }],
    })
    expect(check(o, 'qa/em').verdict).toBe('fail')
    expect(check(o, 'qa/em').reason).toContain('below min 0.8')
  })

  it('counts candidate errors against coverage and as fails of pass/fail metrics', async () => {
    const f = flips(100)
    const rows = binaryRows('qa', 'em', f).map((r, i) =>
      r.provider === 'candidate' && i % 10 === 0
        ? { ...r, metrics: {}, error: { kind: 'timeout' as const, message: 'timed out' } }
        : r,
    )
    const o = await gate(rows)
    expect(check(o, 'qa/coverage').verdict).toBe('fail')
    expect(check(o, 'qa/coverage').candidate).toBeCloseTo(0.1, 12)
    expect(o.verdict).toBe('fail')
    expect(o.regressions.some((r) => r.kind === 'error')).toBe(true)
  })

  it('fails when the candidate lacks the suite entirely, and when nothing was compared', async () => {
    const rows = binaryRows('qa', 'em', flips(50)).filter((r) => r.provider === 'baseline')
    expect((await gate(rows)).verdict).toBe('fail')
    expect((await gate([])).verdict).toBe('fail')
  })

  it('fails on too few cases', async () => {
    const o = await gate(binaryRows('qa', 'em', flips(10)), {
      options: gateOptions({ min_cases: 30 }),
    })
    expect(check(o, 'qa/coverage').reason).toContain('min_cases is 30')
    expect(o.verdict).toBe('fail')
  })

  it('refuses to compare a suite whose dataset hash differs, naming it', async () => {
    const rows = binaryRows('qa', 'em', flips(100, { regress: 30 }))
    const o = await runGate({
      baseline: sideOf('baseline', rows, provenance({ dataset_hashes: { qa: 'sha256:old' } })),
      candidate: sideOf('candidate', rows, provenance({ dataset_hashes: { qa: 'sha256:new' } })),
      source: SIDE_BY_SIDE,
      rules: [],
      options: gateOptions(),
    })
    expect(check(o, 'qa/em').verdict).toBe('inconclusive')
    expect(check(o, 'qa/em').reason).toContain(
      'dataset hash differs (baseline sha256:old, candidate sha256:new)',
    )
    expect(o.regressions).toHaveLength(0)
  })

  it('treats lower-is-better metrics the other way round', async () => {
    const rows = [
      ...Array.from({ length: 200 }, (_, i) =>
        row('baseline', 'qa', `c${i}`, { wer: 0.2 + (i % 7) / 100 }),
      ),
      ...Array.from({ length: 200 }, (_, i) =>
        row('candidate', 'qa', `c${i}`, { wer: 0.3 + (i % 7) / 100 }),
      ),
    ]
    const o = await gate(rows)
    expect(check(o, 'qa/wer').direction).toBe('lower')
    expect(check(o, 'qa/wer').verdict).toBe('fail')
    expect(check(o, 'qa/wer').test).toBe('permutation-paired')
  })

  it('puts check providers into the Holm family and downgrades fails that lose significance', async () => {
    const latency: GateCheck = {
      name: 'bench/chat/ttft_ms/p95',
      kind: 'latency',
      baseline: 100,
      candidate: 110,
      delta: 10,
      ci95: [1, 19],
      p_value: 0.03,
      adjusted_p: null,
      verdict: 'fail',
      reason: 'p95 TTFT rose',
    }
    const provider: CheckProvider = {
      id: 'latency',
      compare: () => ({
        checks: [latency],
        sections: [{ id: 'latency', title: 'Latency', markdown: 'x', priority: 1 }],
      }),
    }
    // Family of three p-values: the 5-point drop (tiny), an unchanged metric (p = 1) and latency (0.03).
    const rows = [
      ...binaryRows('qa', 'em', flips(500, { regress: 25 })),
      ...binaryRows('qa2', 'em', flips(100)),
    ]
    const o = await gate(rows, { providers: [provider] })
    const l = check(o, 'bench/chat/ttft_ms/p95')
    expect(l.adjusted_p).toBeCloseTo(0.06, 12)
    expect(l.verdict).toBe('inconclusive')
    expect(o.sections).toHaveLength(1)
  })

  it('leaves metrics claimed by a check provider out of the quality checks', async () => {
    const rows = binaryRows('qa', 'em', flips(50)).map((r) => ({
      ...r,
      metrics: { ...r.metrics, 'safety/toxic': false },
    }))
    const o = await gate(rows, { claimed: claimedByProviders })
    expect(o.checks.map((c) => c.name)).toEqual(['qa/em', 'qa/coverage'])
    expect((await gate(rows)).checks.map((c) => c.name)).toContain('qa/safety/toxic')
  })

  it('warns about rules that match nothing', async () => {
    const o = await gate(binaryRows('qa', 'em', flips(50)), {
      rules: [{ metric: 'other/em', max_drop: 0.1 }],
    })
    expect(o.warnings).toContain("gate rule 'other/em' matched no metric in the results")
  })
})
