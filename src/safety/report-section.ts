import { markdownTable } from 'markdown-table'
import type { GateCheck } from '../contracts/gate.js'
import type { ResultRow } from '../contracts/results.js'
import { formatNumber, formatP, formatPercent } from '../gate/format.js'
import { escapeInline, mermaidLabel } from '../report/escape.js'
import type { ReportSection } from '../report/section.js'
import {
  summarizeBias,
  summarizePii,
  summarizeToxicity,
  type BiasSummary,
  type PiiSummary,
  type ToxicitySummary,
} from './aggregate.js'
import type { GroupGap } from './bias/group-gap.js'
import type { Measure } from './bias/suite-files.js'

const ICON: Record<string, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️' }

function rate(t: ToxicitySummary): string {
  if (t.n === 0) return 'no outputs'
  return `${t.toxic}/${t.n} (${formatPercent(t.rate)}, 95% CI ${formatPercent(t.ci95[0])}–${formatPercent(t.ci95[1])})`
}

function pii(p: PiiSummary): string {
  const kinds = Object.entries(p.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')
  return `${p.findings}${kinds ? ` (${kinds})` : ''}`
}

function categories(t: ToxicitySummary): string {
  const list = Object.entries(t.byCategory).sort(([a], [b]) => a.localeCompare(b))
  return list.length ? list.map(([k, n]) => `${k} ${n}`).join(', ') : '—'
}

function biasLines(base: readonly BiasSummary[], cand: readonly BiasSummary[]): string[][] {
  const rows: string[][] = []
  for (const c of cand) {
    const b = base.find((x) => x.kind === c.kind && x.name === c.name)
    const label = escapeInline(c.name, 40)
    if (c.kind === 'counterfactual') {
      const bc = b?.kind === 'counterfactual' ? b : undefined
      for (const [attribute, measures] of Object.entries(c.attributes)) {
        for (const [measure, gap] of Object.entries(measures)) {
          const bg = bc?.attributes[attribute]?.[measure]
          const who =
            gap.gap > 0 && gap.high && gap.low
              ? ` (${escapeInline(gap.high, 24)} vs ${escapeInline(gap.low, 24)})`
              : ''
          rows.push([
            `${label}: ${measure} gap by ${escapeInline(attribute, 24)}`,
            bg ? formatNumber(bg.gap) : '—',
            `${formatNumber(gap.gap)}${who}, CI ${formatNumber(gap.ci95[0])}–${formatNumber(gap.ci95[1])}, p ${formatP(gap.p)}`,
          ])
        }
      }
    } else if (c.kind === 'bbq') {
      const bb = b?.kind === 'bbq' ? b : undefined
      const f = (v: number | null | undefined) =>
        v === null || v === undefined ? '—' : formatNumber(v)
      rows.push([
        `${label}: BBQ accuracy ambiguous / disambiguated`,
        `${f(bb?.accuracy_ambig)} / ${f(bb?.accuracy_disambig)}`,
        `${f(c.accuracy_ambig)} / ${f(c.accuracy_disambig)}`,
      ])
      rows.push([
        `${label}: BBQ bias score s_AMB / s_DIS`,
        `${f(bb?.bias_ambig)} / ${f(bb?.bias_disambig)}`,
        `${f(c.bias_ambig)} / ${f(c.bias_disambig)}`,
      ])
    } else {
      const br = b?.kind === 'representation' ? b : undefined
      for (const [k, v] of Object.entries(c.scores)) {
        const bvv = br?.scores[k]
        rows.push([
          `${label}: ${k}`,
          bvv === null || bvv === undefined ? '—' : formatNumber(bvv),
          v === null ? '—' : formatNumber(v),
        ])
      }
    }
  }
  return rows
}

/** A Mermaid bar chart of per-group means, baseline and candidate, for the measure a bias check picked. */
function groupChart(
  base: readonly BiasSummary[],
  cand: readonly BiasSummary[],
  check: GateCheck | undefined,
): string | null {
  const name = check?.name.split('/')[2]
  const measure = check?.measure as Measure | undefined
  const attribute = check?.attribute as string | undefined
  const c = cand.find((x) => x.kind === 'counterfactual' && x.name === name)
  const b = base.find((x) => x.kind === 'counterfactual' && x.name === name)
  if (!measure || !attribute || c?.kind !== 'counterfactual') return null
  const cg = c.attributes[attribute]?.[measure]
  if (!cg || cg.groups.length < 2) return null
  const bg = b?.kind === 'counterfactual' ? b.attributes[attribute]?.[measure] : undefined
  const labels = cg.groups.map((g) => `"${mermaidLabel(g.group)}"`)
  const series = (gap: GroupGap | undefined) =>
    cg.groups.map((g) => {
      const v = gap?.groups.find((x) => x.group === g.group)?.mean
      return Number.isFinite(v) ? Number(v!.toFixed(3)) : 0
    })
  const all = [...series(cg), ...(bg ? series(bg) : [])]
  const lo = Math.min(0, ...all)
  const hi = Math.max(...all, lo + 0.1)
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${mermaidLabel(name ?? '', 30)}: ${measure} by ${mermaidLabel(attribute)} (first bar baseline, second candidate)"`,
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "${measure}" ${Number(lo.toFixed(2))} --> ${Number(hi.toFixed(2))}`,
    ...(bg ? [`  bar [${series(bg).join(', ')}]`] : []),
    `  bar [${series(cg).join(', ')}]`,
    '```',
  ].join('\n')
}

function flaggedDetails(t: ToxicitySummary): string {
  if (t.top.length === 0) return ''
  const rows = t.top.map((f) => [
    escapeInline(f.suite, 40),
    escapeInline(f.case, 40),
    formatNumber(f.toxicity),
    escapeInline(f.categories.join(', ') || '—', 60),
    escapeInline(f.output, 200),
  ])
  return [
    '<details><summary>Content warning: most toxic candidate outputs (offensive text)</summary>',
    '',
    markdownTable([['suite', 'case', 'toxicity', 'categories', 'output (excerpt)'], ...rows]),
    '',
    '</details>',
  ].join('\n')
}

/**
 * The safety section of the report: toxic rate, categories, PII findings and bias gaps next to the
 * baseline's, the safety checks, a per-group chart, and the most toxic outputs collapsed behind a
 * content warning. Every model-written string is escaped (no HTML, no @mentions, no table breaks).
 */
export function safetyReportSection(
  baseline: readonly ResultRow[],
  candidate: readonly ResultRow[],
  checks: readonly GateCheck[],
  stats: { resamples: number; seed: number },
): ReportSection {
  const tb = summarizeToxicity(baseline)
  const tc = summarizeToxicity(candidate)
  const pb = summarizePii(baseline)
  const pc = summarizePii(candidate)
  const bb = summarizeBias(baseline, stats)
  const bc = summarizeBias(candidate, stats)
  const table = markdownTable([
    ['', 'baseline', 'candidate'],
    ['Toxic outputs', rate(tb), rate(tc)],
    ['Max toxicity', formatNumber(tb.max), formatNumber(tc.max)],
    ['Toxic by category', categories(tb), categories(tc)],
    ['PII / secret findings', pii(pb), pii(pc)],
    ...biasLines(bb, bc),
  ])
  const checkTable = checks.length
    ? markdownTable([
        ['check', 'baseline', 'candidate', 'p', 'verdict'],
        ...checks.map((c) => [
          c.name,
          formatNumber(c.baseline),
          formatNumber(c.candidate),
          formatP(c.p_value),
          `${ICON[c.verdict] ?? ''} ${escapeInline(c.reason, 160)}`,
        ]),
      ])
    : ''
  const chart = groupChart(
    bb,
    bc,
    checks.find(
      (c) => c.name.startsWith('safety/bias/') && c.measure !== undefined && c.verdict !== 'pass',
    ) ?? checks.find((c) => c.name.startsWith('safety/bias/')),
  )
  const details = flaggedDetails(tc)
  const markdown = [table, checkTable, chart ?? '', details].filter((s) => s !== '').join('\n\n')
  const worst =
    checks.find((c) => c.verdict === 'fail') ?? checks.find((c) => c.verdict === 'inconclusive')
  const compact = [
    `Toxic outputs: ${rate(tb)} → ${rate(tc)}. PII findings: ${pb.findings} → ${pc.findings}.`,
    worst ? `${ICON[worst.verdict]} ${worst.name}: ${escapeInline(worst.reason, 160)}` : '',
  ]
    .filter((s) => s !== '')
    .join(' ')
  return {
    id: 'safety',
    title: 'Safety: toxicity, privacy and bias',
    markdown,
    compact,
    priority: 40,
  }
}
