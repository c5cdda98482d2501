import { normalQuantile } from './normal.js'
import { studentTQuantile } from './student-t.js'

/** Significance level and power for a minimum-detectable-effect calculation. */
export interface PowerOptions {
  /** Two-sided significance level, default 0.05. */
  alpha?: number
  /** Power, default 0.8. */
  power?: number
}

/**
 * Minimum detectable effect of a paired mean difference: the smallest true mean delta a two-sided
 * paired t-test at level α detects with the given power, (t(1-α/2, n-1) + t(power, n-1)) · sd / √n.
 * This is the usual approximation of the noncentral-t solution (within 2% of statsmodels'
 * `TTestPower().solve_power` for n >= 20). Null for n < 2 or no spread.
 */
export function mdePairedMean(
  sdDelta: number,
  n: number,
  { alpha = 0.05, power = 0.8 }: PowerOptions = {},
): number | null {
  if (n < 2 || !Number.isFinite(sdDelta)) return null
  if (sdDelta === 0) return 0
  return (
    ((studentTQuantile(1 - alpha / 2, n - 1) + studentTQuantile(power, n - 1)) * sdDelta) /
    Math.sqrt(n)
  )
}

/**
 * Minimum detectable difference in pass rate for paired proportions (McNemar), from Connor's (1987)
 * sample-size formula n = (z(1-α/2)·√ψ + z(power)·√(ψ - δ²))² / δ², solved for δ at the n in hand.
 * ψ is the share of discordant pairs; since an effect of δ needs at least δ discordance, ψ is taken as
 * max(observed ψ, δ), which keeps the MDE meaningful when the two runs agree on every case.
 */
export function mdePairedProportions(
  n: number,
  discordance: number,
  { alpha = 0.05, power = 0.8 }: PowerOptions = {},
): number | null {
  if (n < 1) return null
  const za = normalQuantile(1 - alpha / 2)
  const zb = normalQuantile(power)
  const gap = (delta: number) => {
    const psi = Math.max(discordance, delta)
    return (
      delta * Math.sqrt(n) -
      (za * Math.sqrt(psi) + zb * Math.sqrt(Math.max(0, psi - delta * delta)))
    )
  }
  if (gap(1) < 0) return null
  let lo = 0
  let hi = 1
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2
    if (gap(mid) < 0) lo = mid
    else hi = mid
  }
  return hi
}
