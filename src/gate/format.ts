/** Number formatting shared by the gate's reasons and the report, so both print the same digits. */

/** A number with about four significant digits, no exponent for everyday magnitudes; '–' for null/NaN. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–'
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞'
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a >= 1000) return v.toFixed(0)
  if (a >= 1) return trim(v.toFixed(3 - Math.floor(Math.log10(a))))
  if (a >= 1e-4) return trim(v.toFixed(Math.min(6, 3 - Math.floor(Math.log10(a)))))
  return v.toExponential(2)
}

/** A signed number (+0.012, -1.5). */
export function formatSigned(v: number | null | undefined): string {
  const s = formatNumber(v)
  return v !== null && v !== undefined && v > 0 ? `+${s}` : s
}

/** A p-value: '<0.0001' below that, else four significant digits. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return '–'
  if (p < 1e-4) return '<0.0001'
  return formatNumber(p)
}

/** A share as a percentage with one decimal. */
export function formatPercent(v: number): string {
  return `${(v * 100).toFixed(1)}%`
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s
}
