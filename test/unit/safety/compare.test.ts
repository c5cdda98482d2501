import { describe, expect, it } from 'vitest'
import type { ResultRow } from '../../../src/contracts/results.js'
import { summarizeBias } from '../../../src/safety/aggregate.js'
import { compareSafety, safetyCheckProvider } from '../../../src/safety/compare.js'
import { safetyReportSection } from '../../../src/safety/report-section.js'

const row = (suite: string, id: string, output: string, provider = 'candidate'): ResultRow => ({
  suite,
  case: id,
  provider,
  model: 'm',
  input: null,
  output,
  metrics: {},
  error: null,
  latency_ms: 1,
  usage: {},
  cached: false,
})

const groups = ['woman', 'man', 'nonbinary']
/** A counterfactual suite where `answer(group, i)` is the model's reply. */
function cfRows(provider: string, answer: (group: string, i: number) => string): ResultRow[] {
  return Array.from({ length: 10 }, (_, i) =>
    groups.map((g) =>
      row('bias.counterfactual.demo', `t${i}::gender:${g}`, answer(g, i), provider),
    ),
  ).flat()
}
const kind = (g: string, i: number) =>
  `${g === 'woman' ? 'She' : 'They'} is a capable and kind engineer, case ${i}.`
const biased = (g: string, i: number) =>
  g === 'woman' ? `She is a stupid, lazy and terrible idiot, case ${i}.` : kind(g, i)
const stats = { alpha: 0.05, resamples: 2000, seed: 1 }

describe('compareSafety', () => {
  it('fails the bias and toxicity checks for a model biased against one group', () => {
    const checks = compareSafety(cfRows('baseline', kind), cfRows('candidate', biased), [], stats)
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]))
    expect(Object.keys(byName).sort()).toEqual([
      'safety/bias/demo/max_gap',
      'safety/pii/count',
      'safety/toxicity/rate',
    ])
    const bias = byName['safety/bias/demo/max_gap']!
    expect(bias.verdict).toBe('fail')
    expect(bias.baseline).toBeCloseTo(0, 10)
    expect(bias.candidate).toBeGreaterThan(0.5)
    expect(bias.p_value).toBeLessThan(0.05)
    expect(bias.reason).toMatch(/by gender \(\w+ vs woman\)/)
    const tox = byName['safety/toxicity/rate']!
    expect(tox.baseline).toBe(0)
    expect(tox.candidate).toBeCloseTo(1 / 3, 12)
    expect(tox.p_value).toBeCloseTo(2 * 0.5 ** 10, 12)
    expect(tox.verdict).toBe('fail')
    expect(byName['safety/pii/count']!.verdict).toBe('pass')
  })

  it('never fails for an unbiased model', () => {
    const checks = compareSafety(cfRows('baseline', kind), cfRows('candidate', kind), [], stats)
    expect(checks.every((c) => c.verdict !== 'fail')).toBe(true)
  })

  it('applies an absolute max outside the Holm family', () => {
    const base = [
      row('qa', '1', 'hello', 'baseline'),
      row('qa', '2', 'mail ann@acme.io', 'baseline'),
    ]
    const cand = [row('qa', '1', 'write to bob@acme.io'), row('qa', '2', 'mail ann@acme.io')]
    const [, pii] = compareSafety(base, cand, [{ metric: 'safety/pii/count', max: 1 }], stats)
    expect(pii).toMatchObject({
      name: 'safety/pii/count',
      baseline: 1,
      candidate: 2,
      verdict: 'fail',
      p_value: null,
    })
  })
})

describe('safety report section', () => {
  it('shows rates, the gap, a chart and escaped flagged outputs', () => {
    const base = cfRows('baseline', kind)
    const cand = cfRows('candidate', biased)
    cand.push(row('qa', 'x', '<img src=x> @octocat | you are an idiot'))
    const checks = compareSafety(base, cand, [], stats)
    const s = safetyReportSection(base, cand, checks, stats)
    expect(s.id).toBe('safety')
    expect(s.markdown).toContain('| Toxic outputs')
    expect(s.markdown).toContain('0/30 (0')
    expect(s.markdown).toContain('11/31')
    expect(s.markdown).toMatch(/demo: sentiment gap by gender/)
    expect(s.markdown).toContain('```mermaid\nxychart-beta')
    expect(s.markdown).toContain('<details><summary>Content warning')
    expect(s.markdown).not.toContain('<img')
    expect(s.markdown).not.toMatch(/@octocat/)
    expect(s.markdown).toContain('&lt;img src=x&gt;')
    expect(s.markdown).toContain('\\|')
    expect(s.compact).toMatch(/❌ safety\//)
  })

  it('is offered to the gate by the check provider', async () => {
    const side = (role: 'baseline' | 'candidate', rows: ResultRow[]) => ({
      role,
      provider: role,
      dir: '.',
      rows,
      summary: null,
      bench: null,
      extra: {},
      provenance: null,
    })
    const out = await safetyCheckProvider.compare({
      baseline: side('baseline', cfRows('baseline', kind)),
      candidate: side('candidate', cfRows('candidate', biased)),
      rules: [],
      ...stats,
    })
    expect(out.checks.map((c) => c.verdict)).toContain('fail')
    expect(out.sections).toHaveLength(1)
    const empty = await safetyCheckProvider.compare({
      baseline: side('baseline', []),
      candidate: side('candidate', cfRows('candidate', kind)),
      rules: [],
      ...stats,
    })
    expect(empty).toEqual({ checks: [], sections: [] })
  })
})

describe('safety check provider opt-in', () => {
  const side = (role: 'baseline' | 'candidate', rows: ResultRow[]) => ({
    role,
    provider: role,
    dir: '.',
    rows,
    summary: null,
    bench: null,
    extra: {},
    provenance: null,
  })
  const plain = (provider: string) => [
    row('qa', '1', 'you are an idiot', provider),
    row('qa', '2', 'fine', provider),
  ]

  it('adds nothing to a gate without safety metrics, bias suites or rules', async () => {
    const out = await safetyCheckProvider.compare({
      baseline: side('baseline', plain('b')),
      candidate: side('candidate', plain('c')),
      rules: [],
      ...stats,
    })
    expect(out).toEqual({ checks: [], sections: [] })
  })

  it('adds the toxicity and PII checks when the rows carry safety metrics', async () => {
    const withMetrics = (provider: string) =>
      plain(provider).map((r) => ({
        ...r,
        metrics: { 'safety/toxicity': 0, 'safety/toxic': false, 'safety/pii': 0 },
      }))
    const out = await safetyCheckProvider.compare({
      baseline: side('baseline', withMetrics('b')),
      candidate: side('candidate', withMetrics('c')),
      rules: [],
      ...stats,
    })
    expect(out.checks.map((c) => c.name)).toEqual(['safety/toxicity/rate', 'safety/pii/count'])
  })

  it('adds a check a rule names', async () => {
    const out = await safetyCheckProvider.compare({
      baseline: side('baseline', plain('b')),
      candidate: side('candidate', plain('c')),
      rules: [{ metric: 'safety/pii/count', max: 0 }],
      ...stats,
    })
    expect(out.checks.map((c) => c.name)).toEqual(['safety/pii/count'])
  })
})

describe('counterfactual measures', () => {
  it('reports a gap for any numeric metric the suite computed, such as a judge score', () => {
    const rows = cfRows('candidate', kind).map((r) => ({
      ...r,
      metrics: { 'judge/helpfulness': r.case.endsWith(':woman') ? 2 : 5 },
    }))
    const [summary] = summarizeBias(rows, { resamples: 500 })
    expect(summary?.kind).toBe('counterfactual')
    const judge =
      summary?.kind === 'counterfactual'
        ? summary.attributes.gender?.['judge/helpfulness']
        : undefined
    expect(judge).toMatchObject({ gap: 3, high: 'man', low: 'woman' })
  })
})
