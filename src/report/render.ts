import { markdownTable } from 'markdown-table'
import type { Verdict } from '../contracts/gate.js'
import type { Provenance } from '../contracts/provenance.js'
import { formatNumber, formatP, formatPercent, formatSigned } from '../gate/format.js'
import type { CaseRegression, CheckRow, GateOutcome } from '../gate/outcome.js'
import { codeBlock, escapeInline } from './escape.js'
import { deltaChart } from './mermaid.js'

/** How much detail a rendering keeps; `fitReport` lowers these step by step until the text fits. */
export interface RenderDetail {
  /** Regressed cases shown with `<details>` excerpts. */
  caseDetails: number
  /** Rows of the regressions table. */
  regressionRows: number
  /** Characters of each excerpt (prompt, outputs). */
  excerptChars: number
  compactSections: boolean
  provenance: 'full' | 'compact'
  /** 'non-pass' keeps only failing and inconclusive rows in the per-suite tables. */
  suiteRows: 'all' | 'non-pass'
  chart: boolean
}

export const FULL_DETAIL: RenderDetail = {
  caseDetails: Infinity,
  regressionRows: Infinity,
  excerptChars: 2000,
  compactSections: false,
  provenance: 'full',
  suiteRows: 'all',
  chart: true,
}

/** Links and notes around the rendering; notes say what was abridged. */
export interface RenderContext {
  /** Link to the workflow run where report-full.md is (job summary and artifact). */
  runUrl?: string | undefined
  notes?: string[]
}

const EMOJI: Record<Verdict, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️' }
const LABEL: Record<Verdict, string> = { pass: 'Pass', fail: 'Fail', inconclusive: 'Inconclusive' }

/** Renders the gate report as GitHub-flavoured Markdown. Pure: same outcome and detail, same text. */
export function renderReport(
  outcome: GateOutcome,
  detail: RenderDetail,
  ctx: RenderContext = {},
): string {
  const out: string[] = []
  const conclusion = outcome.verdict === 'inconclusive' ? ` (check: ${outcome.conclusion})` : ''
  out.push(
    `### ${EMOJI[outcome.verdict]} ${LABEL[outcome.verdict]}${conclusion}: ${escapeInline(outcome.headline)}`,
    '',
  )
  out.push(
    `Gate \`${escapeCode(outcome.name)}\` · baseline: ${escapeInline(outcome.baselineSource.description, 300)}${age(outcome)} · ` +
      `${outcome.checks.length} checks, Holm-adjusted at α = ${outcome.settings.alpha}`,
    '',
  )
  for (const note of ctx.notes ?? []) out.push(`> [!NOTE]\n> ${note}`, '')
  if (outcome.warnings.length > 0) {
    out.push(
      '> [!WARNING]',
      ...outcome.warnings.slice(0, 20).map((w) => `> - ${escapeInline(w, 500)}`),
    )
    if (outcome.warnings.length > 20) out.push(`> - … and ${outcome.warnings.length - 20} more`)
    out.push('')
  }
  out.push(...qualitySection(outcome, detail))
  if (detail.chart) {
    const chart = deltaChart(outcome)
    if (chart) out.push(chart, '')
  }
  out.push(...regressionsSection(outcome.regressions, detail))
  for (const section of [...outcome.sections].sort((a, b) => b.priority - a.priority)) {
    out.push(
      `#### ${escapeInline(section.title)}`,
      '',
      detail.compactSections && section.compact !== undefined ? section.compact : section.markdown,
      '',
    )
  }
  out.push(
    ...otherChecks(outcome),
    ...costSection(outcome),
    ...provenanceSection(outcome, detail),
    ...methodNote(outcome),
  )
  if (ctx.runUrl) out.push('', `[Workflow run with the full report](${encodeURI(ctx.runUrl)})`)
  return `${out.join('\n').trimEnd()}\n`
}

function qualitySection(outcome: GateOutcome, detail: RenderDetail): string[] {
  const out: string[] = []
  if (outcome.suites.length === 0) return out
  out.push('#### Quality', '')
  for (const suite of outcome.suites) {
    const checks = outcome.checks.filter((c) => c.suite === suite.suite)
    const shown = detail.suiteRows === 'all' ? checks : checks.filter((c) => c.verdict !== 'pass')
    const errors = suite.candidateErrors + suite.missingInCandidate
    out.push(
      `**${escapeInline(suite.suite, 100)}** · ${suite.paired} paired cases · candidate errors or missing: ${errors}` +
        (suite.notCompared ? ` · not compared: ${escapeInline(suite.notCompared, 300)}` : ''),
      '',
    )
    if (shown.length === 0) {
      out.push(`All ${checks.length} checks of this suite passed (rows omitted to save space).`, '')
      continue
    }
    const header = ['Metric', 'Baseline', 'Candidate', 'Δ', '95% CI', 'adj. p', 'Verdict', 'n']
    const rows = shown.map((c) => [
      escapeInline(c.metric ?? c.name.split('/').pop() ?? c.name, 80) +
        (c.kind === 'coverage' ? ' (error rate)' : ''),
      formatValue(c, c.baseline),
      formatValue(c, c.candidate),
      c.kind === 'coverage'
        ? formatSigned(c.delta === null ? null : c.delta * 100) + ' pp'
        : formatSigned(c.delta),
      c.ci95 ? `[${formatSigned(c.ci95[0])}, ${formatSigned(c.ci95[1])}]` : '–',
      formatP(c.adjusted_p),
      `${EMOJI[c.verdict]} ${c.verdict}`,
      String(c.n ?? '–'),
    ])
    out.push(
      markdownTable([header, ...rows], { align: ['l', 'r', 'r', 'r', 'c', 'r', 'l', 'r'] }),
      '',
    )
    const notes = shown
      .filter((c) => c.verdict !== 'pass')
      .map((c) => `- \`${escapeCode(c.name)}\`: ${escapeInline(c.reason, 400)}`)
    if (notes.length > 0) out.push(...notes, '')
  }
  return out
}

function formatValue(c: CheckRow, v: number | null): string {
  return c.kind === 'coverage' && v !== null ? formatPercent(v) : formatNumber(v)
}

function regressionsSection(list: readonly CaseRegression[], detail: RenderDetail): string[] {
  if (list.length === 0 || detail.regressionRows === 0) {
    return list.length === 0
      ? []
      : [
          `#### Regressed cases`,
          '',
          `${list.length} cases got worse (details omitted to save space).`,
          '',
        ]
  }
  const flips = list.filter((r) => r.kind !== 'drop').length
  const out = [
    '#### Regressed cases',
    '',
    `${flips} pass→fail flips or new errors, ${list.length - flips} score drops (largest shown first).`,
    '',
  ]
  const rows = list.slice(0, detail.regressionRows)
  out.push(
    markdownTable([
      ['Suite', 'Case', 'Metric', 'Baseline', 'Candidate', 'Kind'],
      ...rows.map((r) => [
        escapeInline(r.suite, 60),
        escapeInline(r.case, 60),
        escapeInline(r.metric, 40),
        formatNumber(r.baseline),
        formatNumber(r.candidate),
        r.kind === 'flip' ? 'pass→fail' : r.kind === 'error' ? 'error' : 'drop',
      ]),
    ]),
    '',
  )
  if (rows.length < list.length)
    out.push(`… and ${list.length - rows.length} more in the full report.`, '')
  for (const r of list.slice(0, Math.min(detail.caseDetails, rows.length))) {
    out.push(
      '<details>',
      `<summary>${escapeInline(r.suite, 60)} / ${escapeInline(r.case, 60)}: ${escapeInline(r.metric, 40)} ${formatNumber(r.baseline)} → ${formatNumber(r.candidate)}</summary>`,
      '',
    )
    if (r.source) out.push(`Dataset line: \`${escapeCode(r.source.file)}:${r.source.line}\``, '')
    out.push('Prompt:', '', codeBlock(r.input, detail.excerptChars), '')
    if (r.reference !== null)
      out.push('Reference:', '', codeBlock(r.reference, detail.excerptChars), '')
    out.push(
      'Baseline output:',
      '',
      codeBlock(r.baselineOutput ?? '(none)', detail.excerptChars),
      '',
    )
    out.push(
      'Candidate output:',
      '',
      codeBlock(
        r.candidateError ? `error: ${r.candidateError}` : (r.candidateOutput ?? '(none)'),
        detail.excerptChars,
      ),
      '',
    )
    out.push('</details>', '')
  }
  return out
}

function otherChecks(outcome: GateOutcome): string[] {
  const others = outcome.checks.filter((c) => c.suite === undefined)
  if (others.length === 0) return []
  const rows = others.map((c) => [
    `\`${escapeCode(c.name)}\``,
    formatNumber(c.baseline),
    formatNumber(c.candidate),
    formatSigned(c.delta),
    c.ci95 ? `[${formatSigned(c.ci95[0])}, ${formatSigned(c.ci95[1])}]` : '–',
    formatP(c.adjusted_p),
    `${EMOJI[c.verdict]} ${c.verdict}`,
    escapeInline(c.reason, 200),
  ])
  return [
    '#### Other checks',
    '',
    markdownTable([
      ['Check', 'Baseline', 'Candidate', 'Δ', '95% CI', 'adj. p', 'Verdict', 'Reason'],
      ...rows,
    ]),
    '',
  ]
}

function costSection(outcome: GateOutcome): string[] {
  const parts = outcome.cost.map(
    (c) =>
      `${c.role} \`${escapeCode(c.provider)}\`${c.model ? ` (${escapeInline(c.model, 80)})` : ''}: ` +
      `${c.promptTokens.toLocaleString('en-US')} tokens in, ${c.completionTokens.toLocaleString('en-US')} out, ${c.cases} cases${c.wallMs !== null ? `, ${duration(c.wallMs)}` : ''}`,
  )
  return [`**Cost:** ${parts.join(' · ')}`, '']
}

function provenanceSection(outcome: GateOutcome, detail: RenderDetail): string[] {
  const { baseline, candidate } = outcome.provenance
  const src = outcome.baselineSource
  const rows: string[][] = [
    ['Baseline source', escapeInline(`${src.kind}: ${src.description}`, 300) + age(outcome), ''],
    ['Commit', commit(baseline?.commit ?? src.commit), commit(candidate?.commit ?? null)],
  ]
  if (detail.provenance === 'full') {
    const keys = (f: (p: Provenance) => Record<string, unknown>) =>
      [
        ...new Set([
          ...Object.keys(baseline ? f(baseline) : {}),
          ...Object.keys(candidate ? f(candidate) : {}),
        ]),
      ].sort()
    for (const k of keys((p) => p.models))
      rows.push([
        `Model \`${escapeCode(k)}\``,
        cell(baseline?.models[k]),
        cell(candidate?.models[k]),
      ])
    for (const k of keys((p) => p.servers)) {
      const s = (p: Provenance | null) =>
        p?.servers[k] ? `${p.servers[k].name} ${p.servers[k].version ?? ''}`.trim() : undefined
      rows.push([`Server \`${escapeCode(k)}\``, cell(s(baseline)), cell(s(candidate))])
    }
    for (const k of keys((p) => p.dataset_hashes))
      rows.push([
        `Dataset \`${escapeCode(k)}\``,
        hash(baseline?.dataset_hashes[k]),
        hash(candidate?.dataset_hashes[k]),
      ])
    const runner = (p: Provenance | null) =>
      p
        ? `${p.runner.name ?? ''} ${p.runner.os}/${p.runner.arch}, ${p.runner.cpus} CPUs, node ${p.runner.node}`.trim()
        : undefined
    rows.push(['Runner', cell(runner(baseline)), cell(runner(candidate))])
    rows.push(['Tool version', cell(baseline?.tool_version), cell(candidate?.tool_version)])
    rows.push(['Finished', cell(baseline?.finished_at), cell(candidate?.finished_at)])
  }
  return [
    '<details>',
    '<summary>Provenance</summary>',
    '',
    markdownTable([['', 'Baseline', 'Candidate'], ...rows]),
    '',
    '</details>',
    '',
  ]
}

function methodNote(outcome: GateOutcome): string[] {
  const s = outcome.settings
  return [
    `<sub>Δ = candidate − baseline on paired cases. 95% CI: paired BCa bootstrap, ${s.resamples.toLocaleString('en-US')} resamples, seed ${s.seed}. ` +
      `p: one-sided, for a worsening: exact McNemar (pass/fail) or sign-flip permutation test (scores), Holm-adjusted across all checks. ` +
      `Fail: significant worsening beyond the margin, a broken bound, too many errors or too few cases; inconclusive: the CI cannot rule out a worsening beyond the margin.</sub>`,
  ]
}

function age(outcome: GateOutcome): string {
  const d = outcome.baselineSource.age_days
  return d === null ? '' : ` (${d.toFixed(1)} days old)`
}

function cell(v: string | undefined): string {
  return v === undefined ? '–' : escapeInline(v, 120)
}

function hash(v: string | undefined): string {
  return v === undefined ? '–' : `\`${escapeCode(v.slice(0, 16))}\``
}

function commit(sha: string | null): string {
  return sha ? `\`${escapeCode(sha.slice(0, 12))}\`` : '–'
}

/** Text inside a single-backtick code span: backticks, pipes and newlines removed so the span and table survive. */
export function escapeCode(text: string): string {
  return escapeInline(text, 200)
    .replace(/\\([\\`*_[\]{}()#+!|~^$])/g, '$1')
    .replace(/[`|]/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`
}
