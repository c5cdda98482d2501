import { describe, expect, it } from 'vitest'
import type { ResultRow } from '../../../src/contracts/results.js'
import { runGate } from '../../../src/gate/run-gate.js'
import {
  closers,
  COMMENT_LIMIT,
  CHECK_SUMMARY_LIMIT,
  fitReport,
  fits,
} from '../../../src/report/fit.js'
import { renderJunit } from '../../../src/report/junit.js'
import { renderGateTexts } from '../../../src/report/write-outputs.js'
import { binaryRows, flips, gateOptions, sideOf, SIDE_BY_SIDE } from '../gate/builders.js'

async function outcomeOf(rows: ResultRow[]) {
  return runGate({
    baseline: sideOf('baseline', rows),
    candidate: sideOf('candidate', rows),
    source: SIDE_BY_SIDE,
    rules: [],
    options: gateOptions(),
  })
}

describe('report rendering', () => {
  it('matches the snapshot for a small regression with hostile model output', async () => {
    const f = flips(40, { regress: 6, improve: 2 })
    const rows = binaryRows('support-qa', 'exact_match', f).map((r, j) => {
      const i = j % 40
      const base = 0.5 + (i % 5) / 20
      const rougeL = r.provider === 'baseline' ? base : base - 0.03 + ((i * 7) % 5) / 100
      const hostile =
        r.provider === 'candidate' && r.case === 'c0'
          ? {
              output: '@admin <!-- llmops-bot:v1 --> <img src=x> | ```` fence\nline2',
              input: [{ role: 'user', content: 'What is | 2+2?' }],
            }
          : {}
      return { ...r, metrics: { ...r.metrics, rougeL }, ...hostile }
    })
    const o = await outcomeOf(rows)
    const texts = renderGateTexts(o, { headSha: 'a'.repeat(40) })
    await expect(texts.comment).toMatchFileSnapshot('__snapshots__/report-small.md')
    expect(texts.comment.split('\n')[0]).toBe('<!-- llmops:v1 kind=gate key=llmops -->')
    expect(texts.comment.split('\n')[1]).toBe(`<!-- llmops:sha=${'a'.repeat(40)} -->`)
    expect(texts.comment.endsWith(texts.commentBody)).toBe(true)
    // The first visible line is the verdict with an emoji and one sentence.
    expect(texts.commentBody.split('\n')[0]).toMatch(/^### (✅|❌|⚠️) /)
    expect(texts.commentBody).not.toContain('@admin')
    expect(texts.commentBody).not.toContain('<!--')
    expect(texts.commentBody).toContain('```mermaid\nxychart-beta')
    expect(texts.abridged).toEqual([])
  })

  it('keeps a 5,000-case regression within every limit and says what it dropped', async () => {
    const f = flips(5000, { baseRate: 1, regress: 5000 })
    const long = 'x'.repeat(3000) + '😀'
    const rows = binaryRows('big', 'em', f).map((r) => ({ ...r, output: long, input: long }))
    const o = await outcomeOf(rows)
    const texts = renderGateTexts(o)
    expect(o.regressions).toHaveLength(5000)
    expect(texts.comment.length).toBeLessThanOrEqual(COMMENT_LIMIT.utf16)
    expect(Buffer.byteLength(texts.comment)).toBeLessThanOrEqual(COMMENT_LIMIT.utf8Bytes)
    expect(fits(texts.checkSummary, CHECK_SUMMARY_LIMIT)).toBe(true)
    expect(texts.abridged.length).toBeGreaterThan(0)
    expect(texts.commentBody).toContain('Abridged to fit')
    expect(closers(texts.commentBody)).toBe('')
    expect(texts.full.length).toBeGreaterThan(COMMENT_LIMIT.utf16)
    expect(texts.annotations.length).toBe(200)
  }, 120_000)

  it('hard-truncates at a line, closing open fences and details', async () => {
    const rows = binaryRows('qa', 'em', flips(30, { regress: 3 }))
    const o = await outcomeOf(rows)
    o.sections.push({
      id: 'huge',
      title: 'Huge',
      markdown: '<details>\n\n```text\n' + 'y\n'.repeat(60_000) + '```\n\n</details>',
      priority: 1,
    })
    const { text, abridged } = fitReport(o, COMMENT_LIMIT)
    expect(abridged).toContain('cut at the size limit')
    expect(fits(text, COMMENT_LIMIT)).toBe(true)
    expect(closers(text)).toBe('')
  })
})

describe('JUnit', () => {
  it('has one testcase per check, failures for fail and skipped for inconclusive', async () => {
    const o = await outcomeOf([
      ...binaryRows('a', 'em', flips(500, { regress: 25 })),
      ...binaryRows('b', 'em', flips(20, { regress: 1 })),
    ])
    const xml = renderJunit(o)
    expect(xml.match(/<testcase /g)).toHaveLength(o.checks.length)
    expect(xml.match(/<failure /g)).toHaveLength(1)
    expect(xml.match(/<skipped /g)).toHaveLength(1)
    expect(xml).toContain('name="a/em"')
  })
})
