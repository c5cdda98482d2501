import type { MetricResolver } from './metric-resolution.js'
import { specName } from './metric-resolution.js'

/** The metric registry the eval command uses. */
export const defaultMetricResolver: MetricResolver = (spec) => {
  throw new Error(`unknown metric '${specName(spec)}'`)
}
