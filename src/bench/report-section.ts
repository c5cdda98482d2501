import type { Bench } from '../contracts/bench.js'
import type { GateCheck } from '../contracts/gate.js'
import { escapeInline, mermaidLabel } from '../report/escape.js'
import type { ReportSection } from '../report/section.js'

type Run = Bench['runs'][number]

const fmt = (v: unknown, digits = 1) =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–'
function stat(run: Run | undefined, metric: string, s: string): number | null {
  const entry = run?.summary[metric]
  if (typeof entry !== 'object' || entry === null) return null
  const v = (entry as Record<string, unknown>)[s]
  return typeof v === 'number' ? v : null
}
const num = (run: Run | undefined, key: string) => {
  const v = run?.summary[key]
  return typeof v === 'number' ? v : null
}

/** One table row per run of a bench.json: latencies (ms), throughput, errors, validity. */
export function runsTable(bench: Bench, side = ''): string {
  const head = `| ${side ? 'Side | ' : ''}Run | n | TTFT p50 | TTFT p95 | TPOT p50 | TPOT p95 | ITL p95 | E2E p95 | out tok/s | errors | validity |`
  const sep = `|${side ? ' --- |' : ''} --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |`
  const rows = bench.runs.map((run) => {
    const n = (run.summary.ttft_ms as { n?: number } | undefined)?.n
    return `| ${side ? `${side} | ` : ''}${escapeInline(`${run.scenario} ${run.load}`, 60)} | ${n ?? '–'} | ${fmt(stat(run, 'ttft_ms', 'p50'))} | ${fmt(stat(run, 'ttft_ms', 'p95'))} | ${fmt(stat(run, 'tpot_ms', 'p50'), 2)} | ${fmt(stat(run, 'tpot_ms', 'p95'), 2)} | ${fmt(stat(run, 'itl_ms', 'p95'), 2)} | ${fmt(stat(run, 'e2e_ms', 'p95'))} | ${fmt(num(run, 'output_throughput'))} | ${num(run, 'errors') ?? '–'} | ${run.validity.verdict} |`
  })
  return [head, sep, ...rows].join('\n')
}

interface ServerView {
  source: string
  requests: number
  ttft_ms: { mean: number | null } | null
  itl_ms: { mean: number | null } | null
}

/**
 * One line per run whose server exported latency histograms: the server's own TTFT mean beside ours
 * (the gap is network, HTTP and detokenisation, never negative), and its inter-token latency, which
 * servers observe once per output step of a request, beside our gap between chunks (ICL).
 */
export function serverCrossCheck(bench: Bench, side = ''): string[] {
  return bench.runs.flatMap((run) => {
    const server = (run as { server_metrics?: ServerView | null }).server_metrics
    if (!server) return []
    const clientTtft = stat(run, 'ttft_ms', 'mean')
    const serverTtft = server.ttft_ms?.mean ?? null
    const gap =
      clientTtft !== null && serverTtft !== null ? ` (+${fmt(clientTtft - serverTtft, 2)})` : ''
    return [
      `- ${side ? `${side} ` : ''}${escapeInline(`${run.scenario} ${run.load}`, 60)}, server's own ${escapeInline(server.source, 20)} /metrics: TTFT mean ${fmt(serverTtft, 2)} ms vs ours ${fmt(clientTtft, 2)} ms${gap}; gap between token writes mean ${fmt(server.itl_ms?.mean, 2)} ms vs ours (ICL) ${fmt(stat(run, 'icl_ms', 'mean'), 2)} ms; ${server.requests} requests finished on the server.`,
    ]
  })
}

interface SweepView {
  scenario: string
  mode: string
  saturated_at: string | null
  reason: string | null
  best_goodput_at: string | null
}

/** One line per load sweep: where the server stopped scaling, and the best-goodput load. */
export function sweepLines(bench: Bench, side = ''): string[] {
  const sweeps = (bench as { sweeps?: SweepView[] }).sweeps ?? []
  return sweeps.map((s) => {
    const head = `- ${side ? `${side} ` : ''}${escapeInline(s.scenario, 60)} sweep (${s.mode} loop): `
    const sat = s.saturated_at
      ? `saturated at ${escapeInline(s.saturated_at, 40)} (${escapeInline(s.reason ?? '', 160)})`
      : 'kept scaling over the loads tried'
    const best = s.best_goodput_at
      ? `; highest goodput at ${escapeInline(s.best_goodput_at, 40)}`
      : ''
    return `${head}${sat}${best}.`
  })
}

/** Markdown summary of one bench.json (the job summary of `llmops bench`). */
export function benchMarkdown(bench: Bench): string {
  const reasons = bench.validity.reasons.slice(0, 5).map((r) => `- ${escapeInline(r, 200)}`)
  return [
    '### Latency benchmark',
    '',
    bench.runs.length > 0 ? runsTable(bench) : '_No run completed._',
    '',
    'Times in ms; percentiles by linear interpolation, `–` where n is too small. TPOT = (last token - first token) / (N - 1); ITL is per token.',
    ...(serverCrossCheck(bench).length > 0 ? ['', ...serverCrossCheck(bench)] : []),
    ...(sweepLines(bench).length > 0 ? ['', ...sweepLines(bench)] : []),
    ...(reasons.length > 0 ? ['', `Validity: **${bench.validity.verdict}**`, ...reasons] : []),
  ].join('\n')
}

/** A Mermaid bar chart of TTFT and E2E p50/p95 per run, baseline beside candidate. */
export function latencyChart(baseline: Bench | null, candidate: Bench): string | null {
  const runs = candidate.runs.slice(0, 6)
  if (runs.length === 0) return null
  const labels: string[] = []
  const cand: number[] = []
  const base: number[] = []
  for (const run of runs) {
    const b = baseline?.runs.find((r) => r.scenario === run.scenario && r.load === run.load)
    for (const [metric, s, short] of [
      ['ttft_ms', 'p50', 'TTFT p50'],
      ['ttft_ms', 'p95', 'TTFT p95'],
      ['tpot_ms', 'p50', 'TPOT p50'],
    ] as const) {
      const c = stat(run, metric, s)
      if (c === null) continue
      labels.push(`"${mermaidLabel(runs.length > 1 ? `${short} ${run.load}` : short, 28)}"`)
      cand.push(Math.round(c * 10) / 10)
      base.push(Math.round((stat(b, metric, s) ?? 0) * 10) / 10)
    }
  }
  if (labels.length === 0) return null
  const max = Math.ceil(Math.max(...cand, ...base) * 1.1) || 1
  return [
    '```mermaid',
    'xychart-beta',
    `    title "Latency (ms): ${baseline ? 'baseline (first bar) vs candidate' : 'candidate'}"`,
    `    x-axis [${labels.join(', ')}]`,
    `    y-axis "ms" 0 --> ${max}`,
    ...(baseline ? [`    bar [${base.join(', ')}]`] : []),
    `    bar [${cand.join(', ')}]`,
    '```',
  ].join('\n')
}

/** The latency section of the PR report: runs of both sides, the checks, the chart, validity notes. */
export function latencySection(
  baseline: Bench | null,
  candidate: Bench,
  checks: readonly GateCheck[],
): ReportSection {
  const table = [
    runsTable(candidate, 'candidate').split('\n'),
    baseline ? runsTable(baseline, 'baseline').split('\n').slice(2) : [],
  ]
    .flat()
    .join('\n')
  const checkRows = checks.map(
    (c) =>
      `| ${escapeInline(c.name, 80)} | ${fmt(c.baseline, 2)} | ${fmt(c.candidate, 2)} | ${c.ci95 ? `${fmt(c.ci95[0], 2)}..${fmt(c.ci95[1], 2)}` : '–'} | ${c.verdict} | ${escapeInline(c.reason, 200)} |`,
  )
  const chart = latencyChart(baseline, candidate)
  const notes = [candidate, baseline].flatMap((b, i) =>
    b && b.validity.verdict !== 'valid'
      ? [
          `- ${i === 0 ? 'candidate' : 'baseline'} run is **${b.validity.verdict}**: ${escapeInline(b.validity.reasons.slice(0, 3).join('; '), 300)}`,
        ]
      : [],
  )
  // A blank line ends the list, or the footnote below would join its last item.
  const bullets = [
    ...notes,
    ...sweepLines(candidate, 'candidate'),
    ...(baseline ? sweepLines(baseline, 'baseline') : []),
    ...serverCrossCheck(candidate, 'candidate'),
    ...(baseline ? serverCrossCheck(baseline, 'baseline') : []),
  ]
  if (bullets.length > 0) bullets.push('')
  const markdown = [
    table,
    '',
    ...(checkRows.length > 0
      ? [
          '| Check | baseline | candidate | 95% CI | verdict | why |',
          '| --- | ---: | ---: | --- | --- | --- |',
          ...checkRows,
          '',
        ]
      : []),
    ...(chart ? [chart, ''] : []),
    ...bullets,
    'Times in ms. TTFT counts the first token of any kind (never a role-only chunk); TPOT = (last - first token) / (N - 1); percentiles by linear interpolation with bootstrap CIs. Only a valid run can fail the gate.',
  ].join('\n')
  const failing = checks.filter((c) => c.verdict !== 'pass')
  const compact =
    failing.length > 0
      ? failing
          .map(
            (c) => `- ${escapeInline(c.name, 80)}: ${c.verdict} (${escapeInline(c.reason, 160)})`,
          )
          .join('\n')
      : `${checks.length} latency checks pass.`
  return { id: 'latency', title: 'Latency', markdown, compact, priority: 2 }
}
