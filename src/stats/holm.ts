/**
 * Holm-Bonferroni step-down adjustment (Holm 1979): with the m p-values sorted ascending,
 * adjusted p_(i) = max over j <= i of min(1, (m - j + 1) · p_(j)). Controls the family-wise error
 * rate under any dependence, which suits the correlated metrics of one gate. `null` entries (checks
 * without a test) are left out of the family and come back as null; ties keep their input order.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const indexed: { i: number; p: number }[] = []
  pValues.forEach((p, i) => {
    if (p !== null && !Number.isNaN(p)) indexed.push({ i, p })
  })
  indexed.sort((x, y) => x.p - y.p || x.i - y.i)
  const m = indexed.length
  const out: (number | null)[] = pValues.map(() => null)
  let running = 0
  indexed.forEach(({ i, p }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p))
    out[i] = running
  })
  return out
}
