import type { Config } from '../config/schema.js'
import type { Metric } from '../metrics/types.js'
import type { ModelClient } from '../providers/types.js'
import { safetyEvalAdditions } from '../safety/eval-additions.js'
import type { SuiteConfig } from './config-schema.js'

/** What the safety section adds to an eval run: metrics on every generate suite, and bias suites. */
export interface SafetyAdditions {
  metrics: Metric[]
  suites: SuiteConfig[]
}

/** What the safety scorers may need from the eval run: the environment and the run's provider clients. */
export interface SafetyDeps {
  env: Readonly<Record<string, string | undefined>>
  clientFor: (provider: string) => ModelClient
}

/**
 * The one seam to src/safety: toxicity and PII metrics on every generate suite and the bias suites
 * expanded into ordinary suites, when `safety` is configured; nothing otherwise.
 */
export function expandSafety(
  config: Config,
  configDir: string,
  deps: SafetyDeps,
): Promise<SafetyAdditions> {
  if (!config.safety) return Promise.resolve({ metrics: [], suites: [] })
  return safetyEvalAdditions(config, configDir, deps)
}
