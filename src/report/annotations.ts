import type { GateOutcome } from '../gate/outcome.js'
import { sanitize, truncate } from './escape.js'

/** A check-run annotation (the fields GitHub's Checks API takes). */
export interface Annotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: 'notice' | 'warning' | 'failure'
  title: string
  message: string
}

/** Most annotations sent per gate: 4 requests of 50, so a huge regression cannot exhaust the API quota. */
export const MAX_ANNOTATIONS = 200

/**
 * One annotation per regressed case whose dataset line is known, on the checks that did not pass:
 * `failure` for a failed check, `warning` for an inconclusive one. Paths that are absolute or leave
 * the repository are dropped (annotations need repository-relative paths).
 */
export function buildAnnotations(outcome: GateOutcome): Annotation[] {
  const verdictOf = new Map(outcome.checks.map((c) => [c.name, c.verdict]))
  const out: Annotation[] = []
  for (const r of outcome.regressions) {
    if (!r.source || out.length >= MAX_ANNOTATIONS) continue
    const verdict = verdictOf.get(`${r.suite}/${r.metric}`)
    if (verdict === undefined || verdict === 'pass') continue
    const path = r.source.file.replace(/\\/g, '/').replace(/^\.\//, '')
    if (
      path.startsWith('/') ||
      path.split('/').includes('..') ||
      !Number.isInteger(r.source.line) ||
      r.source.line < 1
    )
      continue
    out.push({
      path,
      start_line: r.source.line,
      end_line: r.source.line,
      annotation_level: verdict === 'fail' ? 'failure' : 'warning',
      title: truncate(sanitize(`${r.suite}/${r.metric}: case ${r.case} regressed`), 255),
      message: truncate(
        sanitize(
          `${r.metric} ${r.baseline} → ${r.candidate}${r.candidateError ? ` (error: ${r.candidateError})` : ''}\n` +
            `candidate output: ${r.candidateOutput ?? '(none)'}`,
        ),
        4000,
      ),
    })
  }
  return out
}
