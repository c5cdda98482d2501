import { gateSchema } from '../contracts/gate.js'

const ICON = { pass: '✅ PASS', fail: '❌ FAIL', inconclusive: '⚠️  INCONCLUSIVE' } as const

const fmt = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits)

/** A terminal-friendly summary of gate.json: the verdict, one line per check, and where the report is. */
export function terminalSummary(
  gateJson: unknown,
  info: { reportPath: string; seconds: number },
): string {
  const gate = gateSchema.parse(gateJson)
  const rows = gate.checks.map((c) => [
    c.verdict === 'fail' ? '✗' : c.verdict === 'pass' ? '✓' : '?',
    c.name,
    fmt(c.baseline),
    fmt(c.candidate),
    c.delta === null ? '-' : `${c.delta >= 0 ? '+' : ''}${fmt(c.delta)}`,
    c.adjusted_p === null ? '-' : c.adjusted_p < 0.001 ? '<0.001' : c.adjusted_p.toFixed(3),
    c.verdict,
  ])
  const header = ['', 'check', 'baseline', 'candidate', 'delta', 'adj. p', 'verdict']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)))
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [
    '',
    `verdict: ${ICON[gate.verdict]}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `report: ${info.reportPath} (the PR comment body; report-full.md beside it is unabridged)`,
    `done in ${info.seconds.toFixed(1)} s`,
    '',
  ].join('\n')
}
