import { resolveMetric } from '../metrics/registry.js'
import type { MetricResolver } from './metric-resolution.js'

/**
 * The metric registry with paths resolved against the working directory. `runEval` resolves against
 * the config file's directory when no resolver is passed, which is what the command does.
 */
export const defaultMetricResolver: MetricResolver = (spec) => resolveMetric(spec)
