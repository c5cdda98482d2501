import type { GateOutcome } from '../gate/outcome.js'
import { FULL_DETAIL, renderReport, type RenderContext, type RenderDetail } from './render.js'

/** GitHub's limits for a comment body (both must hold; see docs/gate.md) and a check-run summary. */
export const COMMENT_LIMIT = { utf16: 65_536, utf8Bytes: 262_144 }
export const CHECK_SUMMARY_LIMIT = { utf16: 65_535, utf8Bytes: 262_144 }

export interface Limit {
  utf16: number
  utf8Bytes: number
}

/** Whether a text is within both limits. */
export function fits(text: string, limit: Limit): boolean {
  return text.length <= limit.utf16 && Buffer.byteLength(text, 'utf8') <= limit.utf8Bytes
}

/**
 * The defined order in which detail is dropped to fit: fewer case excerpts, then none, then a
 * shorter regressions table, compact latency/safety sections, compact provenance, only the
 * non-passing rows of the suite tables, no chart. Each step names what it dropped.
 */
const STEPS: { note: string; apply: (d: RenderDetail) => RenderDetail }[] = [
  {
    note: 'case excerpts limited to 20',
    apply: (d) => ({ ...d, caseDetails: Math.min(d.caseDetails, 20), excerptChars: 1000 }),
  },
  {
    note: 'case excerpts limited to 5',
    apply: (d) => ({ ...d, caseDetails: Math.min(d.caseDetails, 5), excerptChars: 500 }),
  },
  { note: 'case excerpts dropped', apply: (d) => ({ ...d, caseDetails: 0 }) },
  {
    note: 'regressions table limited to 50 rows',
    apply: (d) => ({ ...d, regressionRows: Math.min(d.regressionRows, 50) }),
  },
  {
    note: 'latency and safety sections shortened',
    apply: (d) => ({ ...d, compactSections: true }),
  },
  { note: 'provenance shortened', apply: (d) => ({ ...d, provenance: 'compact' }) },
  {
    note: 'regressions table limited to 10 rows',
    apply: (d) => ({ ...d, regressionRows: Math.min(d.regressionRows, 10) }),
  },
  {
    note: 'passing rows of the suite tables omitted',
    apply: (d) => ({ ...d, suiteRows: 'non-pass' }),
  },
  { note: 'chart dropped', apply: (d) => ({ ...d, chart: false }) },
  { note: 'regressions table dropped', apply: (d) => ({ ...d, regressionRows: 0 }) },
]

/** The report within `limit`, dropping detail in the order above and saying so; `abridged` lists what went. */
export function fitReport(
  outcome: GateOutcome,
  limit: Limit,
  ctx: RenderContext = {},
): { text: string; abridged: string[] } {
  // A comment never shows more than 50 case excerpts; report-full.md has them all.
  let detail: RenderDetail = { ...FULL_DETAIL, caseDetails: 50 }
  const dropped: string[] = outcome.regressions.length > 50 ? ['case excerpts limited to 50'] : []
  const withNotes = () =>
    dropped.length ? { ...ctx, notes: [...(ctx.notes ?? []), abridgedNote(dropped)] } : ctx
  let text = renderReport(outcome, detail, withNotes())
  for (const step of STEPS) {
    if (fits(text, limit)) return { text, abridged: dropped }
    detail = step.apply(detail)
    dropped.push(step.note)
    text = renderReport(outcome, detail, {
      ...ctx,
      notes: [...(ctx.notes ?? []), abridgedNote(dropped)],
    })
  }
  if (fits(text, limit)) return { text, abridged: dropped }
  dropped.push('cut at the size limit')
  const note = `\n\n> [!NOTE]\n> ${abridgedNote(dropped)}\n`
  return { text: hardTruncate(text, limit, note), abridged: dropped }
}

function abridgedNote(dropped: string[]): string {
  return `Abridged to fit GitHub's comment size limit (${dropped.join('; ')}). The full report is report-full.md in the workflow's artifact and job summary.`
}

/**
 * Cuts Markdown at a line boundary so that text + closers + note fit, then closes any code fence and
 * `<details>` left open. Cutting at a newline never splits a surrogate pair.
 */
export function hardTruncate(text: string, limit: Limit, note: string): string {
  const reserve = note.length + 200
  let budget = Math.min(limit.utf16, Math.floor(limit.utf8Bytes / 4)) - reserve
  // UTF-8 may need fewer bytes than 4 per unit; grow the budget while it still fits.
  budget = Math.max(budget, 0)
  let cut = text.slice(0, budget)
  while (budget < text.length) {
    const next = Math.min(text.length, budget + 4096)
    const candidate = text.slice(0, next)
    if (
      candidate.length + reserve > limit.utf16 ||
      Buffer.byteLength(candidate, 'utf8') + reserve * 4 > limit.utf8Bytes
    )
      break
    cut = candidate
    budget = next
  }
  const lastNewline = cut.lastIndexOf('\n')
  if (lastNewline > 0) cut = cut.slice(0, lastNewline)
  return `${cut}${closers(cut)}${note}`
}

/** The lines that close every code fence and `<details>` still open at the end of `text`. */
export function closers(text: string): string {
  let fence: string | null = null
  let details = 0
  for (const line of text.split('\n')) {
    const m = /^(`{3,}|~{3,})/.exec(line)
    if (fence) {
      if (m && m[1]!.startsWith(fence) && line.trim() === m[1]) fence = null
      continue
    }
    if (m) {
      fence = m[1]!
      continue
    }
    if (/^<details>/.test(line)) details++
    if (/^<\/details>/.test(line)) details = Math.max(0, details - 1)
  }
  let out = ''
  if (fence) out += `\n${fence}`
  for (let i = 0; i < details; i++) out += '\n\n</details>'
  return out
}
