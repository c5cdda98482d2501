/** Tolerances of the numeric metric: pass when |pred - ref| <= abs + rel * |ref|. */
export interface NumericOptions {
  absTolerance?: number
  relTolerance?: number
  /** Which number of the prediction to compare: the last one (default, GSM8K style) or the first. */
  pick?: 'last' | 'first'
}

const NUMBER =
  /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+(?:[eE][-+]?\d+)?/g

/** All numbers written in a text (thousands separators allowed), in order. */
export function extractNumbers(text: string): number[] {
  return (text.match(NUMBER) ?? []).map((s) => Number(s.replaceAll(',', '')))
}

/** The prediction's chosen number, or null when it has none. */
export function predictedNumber(
  prediction: string,
  pick: 'last' | 'first' = 'last',
): number | null {
  const nums = extractNumbers(prediction)
  const n = pick === 'first' ? nums[0] : nums[nums.length - 1]
  return n === undefined ? null : n
}

/** True when the prediction's number is within tolerance of any reference's number. */
export function numericMatch(
  prediction: string,
  references: readonly string[],
  options: NumericOptions = {},
): boolean {
  const p = predictedNumber(prediction, options.pick)
  if (p === null) return false
  const abs = options.absTolerance ?? 1e-6
  const rel = options.relTolerance ?? 0
  return references.some((r) => {
    const ref = predictedNumber(r, 'first')
    return ref !== null && Math.abs(p - ref) <= abs + rel * Math.abs(ref)
  })
}
