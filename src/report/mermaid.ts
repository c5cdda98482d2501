import type { GateOutcome } from '../gate/outcome.js'
import { mermaidLabel } from './escape.js'

const MAX_BARS = 16

/**
 * A Mermaid `xychart-beta` (rendered by GitHub) of each quality metric's change relative to its
 * baseline mean in percent, as a bar, with the 95% CI's bounds as two lines. Relative change puts
 * 0-1 rates, BLEU and scores of any scale on one axis. Non-passing checks come first; at most 16 bars.
 */
export function deltaChart(outcome: GateOutcome): string | null {
  const rank = { fail: 0, inconclusive: 1, pass: 2 }
  const rows = outcome.checks
    .filter(
      (c) =>
        c.kind === 'quality' &&
        c.baseline !== null &&
        c.baseline !== 0 &&
        c.delta !== null &&
        c.ci95 !== null,
    )
    .sort((a, b) => rank[a.verdict] - rank[b.verdict])
    .slice(0, MAX_BARS)
  if (rows.length === 0) return null
  const pct = (v: number, base: number) => Math.round((v / Math.abs(base)) * 10000) / 100
  const labels = rows.map((r) => `"${mermaidLabel(r.name)}"`)
  const delta = rows.map((r) => pct(r.delta!, r.baseline!))
  const lo = rows.map((r) => pct(r.ci95![0], r.baseline!))
  const hi = rows.map((r) => pct(r.ci95![1], r.baseline!))
  const all = [...delta, ...lo, ...hi, 0]
  const min = Math.floor(Math.min(...all) - 1)
  const max = Math.ceil(Math.max(...all) + 1)
  return [
    '```mermaid',
    'xychart-beta',
    '    title "Change vs baseline (%), bar = estimate, lines = 95% CI"',
    `    x-axis [${labels.join(', ')}]`,
    `    y-axis "change (%)" ${min} --> ${max}`,
    `    bar [${delta.join(', ')}]`,
    `    line [${lo.join(', ')}]`,
    `    line [${hi.join(', ')}]`,
    '```',
  ].join('\n')
}
