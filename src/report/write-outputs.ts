import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { toGateJson } from '../gate/gate-json.js'
import type { GateOutcome } from '../gate/outcome.js'
import { buildAnnotations, type Annotation } from './annotations.js'
import { CHECK_SUMMARY_LIMIT, COMMENT_LIMIT, fitReport } from './fit.js'
import { renderJunit } from './junit.js'
import { stickyMarker } from './publish.js'
import { FULL_DETAIL, renderReport } from './render.js'

/** GitHub's job summary holds at most 1 MiB per step. */
export const JOB_SUMMARY_BYTES = 1024 * 1024

/** The texts a gate run produces, all from one outcome. */
export interface GateTexts {
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
  const comment = fitReport(outcome, COMMENT_LIMIT, {
    marker: stickyMarker(outcome.name),
    headSha: ctx.headSha,
    runUrl: ctx.runUrl,
  })
  const full = renderReport(outcome, FULL_DETAIL, { runUrl: ctx.runUrl })
  const check = fitReport(outcome, CHECK_SUMMARY_LIMIT, { runUrl: ctx.runUrl })
  const jobSummary = Buffer.byteLength(full, 'utf8') <= JOB_SUMMARY_BYTES ? full : comment.text
  return {
    commentBody: comment.text,
    full,
    checkSummary: check.text,
    jobSummary,
    junit: renderJunit(outcome),
    annotations: buildAnnotations(outcome),
    abridged: comment.abridged,
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
  await writeFile(files.report, texts.commentBody)
  await writeFile(files.full, texts.full)
  await writeFile(files.check, texts.checkSummary)
  await writeFile(files.junit, texts.junit)
  return files
}
