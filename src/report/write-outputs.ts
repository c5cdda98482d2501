import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { toGateJson } from '../gate/gate-json.js'
import type { GateOutcome } from '../gate/outcome.js'
import { buildAnnotations, type Annotation } from './annotations.js'
import { CHECK_SUMMARY_LIMIT, COMMENT_LIMIT, fitReport } from './fit.js'
import { renderJunit } from './junit.js'
import { stickyBody } from '../github/comments.js'
import { FULL_DETAIL, renderReport } from './render.js'

/** GitHub's job summary holds at most 1 MiB per step. */
export const JOB_SUMMARY_BYTES = 1024 * 1024

/** The texts a gate run produces, all from one outcome. */
export interface GateTexts {
  /** report.md: exactly the comment as posted (hidden marker lines + report). */
  comment: string
  /** The report part of the comment, which the sticky-comment adapter prefixes with the marker lines. */
  commentBody: string
  full: string
  checkSummary: string
  jobSummary: string
  junit: string
  annotations: Annotation[]
  abridged: string[]
}

/** Renders every output of a gate run (pure). */
export function renderGateTexts(
  outcome: GateOutcome,
  ctx: { headSha?: string | undefined; runUrl?: string | undefined } = {},
): GateTexts {
  // The adapter prefixes the marker lines; budget them so the posted body is exactly report.md.
  const marker = {
    kind: 'gate',
    key: outcome.name,
    ...(ctx.headSha ? { headSha: ctx.headSha } : {}),
  }
  const prefix = stickyBody({ ...marker, body: '' })
  const limit = {
    utf16: COMMENT_LIMIT.utf16 - prefix.length,
    utf8Bytes: COMMENT_LIMIT.utf8Bytes - Buffer.byteLength(prefix),
  }
  const fitted = fitReport(outcome, limit, { runUrl: ctx.runUrl })
  const full = renderReport(outcome, FULL_DETAIL, { runUrl: ctx.runUrl })
  const check = fitReport(outcome, CHECK_SUMMARY_LIMIT, { runUrl: ctx.runUrl })
  const jobSummary = Buffer.byteLength(full, 'utf8') <= JOB_SUMMARY_BYTES ? full : fitted.text
  return {
    comment: stickyBody({ ...marker, body: fitted.text }),
    commentBody: fitted.text,
    full,
    checkSummary: check.text,
    jobSummary,
    junit: renderJunit(outcome),
    annotations: buildAnnotations(outcome),
    abridged: fitted.abridged,
  }
}

/** Writes gate.json, report.md (the comment body), report-full.md, check-summary.md, junit.xml. */
export async function writeGateOutputs(
  outDir: string,
  outcome: GateOutcome,
  texts: GateTexts,
): Promise<{ gate: string; report: string; full: string; check: string; junit: string }> {
  await mkdir(outDir, { recursive: true })
  const files = {
    gate: path.join(outDir, 'gate.json'),
    report: path.join(outDir, 'report.md'),
    full: path.join(outDir, 'report-full.md'),
    check: path.join(outDir, 'check-summary.md'),
    junit: path.join(outDir, 'junit.xml'),
  }
  await writeFile(
    files.gate,
    `${JSON.stringify(toGateJson(outcome, texts.annotations), null, 2)}\n`,
  )
  await writeFile(files.report, texts.comment)
  await writeFile(files.full, texts.full)
  await writeFile(files.check, texts.checkSummary)
  await writeFile(files.junit, texts.junit)
  return files
}
