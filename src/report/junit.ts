import type { CheckRow, GateOutcome } from '../gate/outcome.js'

/** JUnit XML: one testsuite per check kind, one testcase per check; fail is a failure, inconclusive is skipped. */
export function renderJunit(outcome: GateOutcome): string {
  const kinds = [...new Set(outcome.checks.map((c) => c.kind ?? 'other'))]
  const failures = outcome.checks.filter((c) => c.verdict === 'fail').length
  const skipped = outcome.checks.filter((c) => c.verdict === 'inconclusive').length
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`llmops gate ${outcome.name}`)}" tests="${outcome.checks.length}" failures="${failures}" skipped="${skipped}" errors="0">`,
  ]
  for (const kind of kinds) {
    const checks = outcome.checks.filter((c) => (c.kind ?? 'other') === kind)
    lines.push(
      `  <testsuite name="${attr(kind)}" tests="${checks.length}" failures="${checks.filter((c) => c.verdict === 'fail').length}" skipped="${checks.filter((c) => c.verdict === 'inconclusive').length}" errors="0">`,
    )
    for (const c of checks) lines.push(...testcase(c))
    lines.push('  </testsuite>')
  }
  lines.push('</testsuites>', '')
  return lines.join('\n')
}

function testcase(c: CheckRow): string[] {
  const head = `    <testcase classname="${attr(c.suite ?? c.kind ?? 'gate')}" name="${attr(c.name)}" time="0"`
  const details = [
    `baseline=${c.baseline ?? 'null'} candidate=${c.candidate ?? 'null'} delta=${c.delta ?? 'null'}`,
    `ci95=${c.ci95 ? `[${c.ci95[0]}, ${c.ci95[1]}]` : 'null'} p=${c.p_value ?? 'null'} adjusted_p=${c.adjusted_p ?? 'null'} n=${c.n ?? 'null'}`,
    c.reason,
  ].join('\n')
  if (c.verdict === 'fail')
    return [
      `${head}>`,
      `      <failure message="${attr(c.reason)}" type="regression">${text(details)}</failure>`,
      '    </testcase>',
    ]
  if (c.verdict === 'inconclusive')
    return [
      `${head}>`,
      `      <skipped message="${attr(`inconclusive: ${c.reason}`)}"/>`,
      '    </testcase>',
    ]
  return [`${head}/>`]
}

// Characters XML 1.0 does not allow at all (controls, lone surrogates, U+FFFE/FFFF) are removed.
const INVALID_XML =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

function text(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;')
}
