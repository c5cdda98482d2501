import { benchCheckProvider } from '../bench/compare.js'
import { parseBiasSuiteName } from '../safety/bias/bias-suites.js'
import { safetyCheckProvider } from '../safety/compare.js'
import type { CheckProvider } from './check-provider.js'

/**
 * The latency and safety comparisons that join the gate's Holm family. Each returns no checks when
 * its inputs (bench.json, safety metrics, bias suites) are absent on either side.
 */
export const checkProviders: readonly CheckProvider[] = [benchCheckProvider, safetyCheckProvider]

/**
 * Results the safety provider compares itself (bias suites; safety/bias/BBQ metrics), kept out of the
 * per-suite quality checks so that no result counts twice in the Holm family. `metric` null asks
 * about a whole suite.
 */
export function claimedByProviders(suite: string, metric: string | null): boolean {
  if (parseBiasSuiteName(suite) !== null) return true
  return metric !== null && /^(safety|bias|bbq)\//.test(metric)
}
