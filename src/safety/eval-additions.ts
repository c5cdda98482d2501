import type { Config } from '../config/schema.js'
import type { SuiteConfig } from '../eval/config-schema.js'
import type { Metric } from '../metrics/types.js'
import { biasEvalSuites } from './bias/bias-suites.js'
import { biasCaseMetric, lexiconToxicityMetric, modelToxicityMetric, piiMetric } from './metrics.js'
import { createToxicityScorer, type ScorerDeps } from './scorers/create-scorer.js'

/**
 * What `safety:` adds to an eval run: `safety/toxicity` (lexicon: a case metric; other scorers: a
 * model metric using the configured endpoint, not the judge), `safety/pii` and `safety/bias` on every
 * generate suite, and the bias suites as generate suites. Nothing when `safety` is absent.
 */
export async function safetyEvalAdditions(
  config: Config,
  configDir: string,
  deps: Omit<ScorerDeps, 'providers'> = { env: {} },
): Promise<{ metrics: Metric[]; suites: SuiteConfig[] }> {
  const safety = config.safety
  if (!safety) return { metrics: [], suites: [] }
  const tox = safety.toxicity
  const metrics: Metric[] = [
    !tox || tox.scorer === 'lexicon'
      ? lexiconToxicityMetric(tox?.threshold ?? 0.5)
      : modelToxicityMetric(createToxicityScorer(tox, { ...deps, providers: config.providers })),
  ]
  if (safety.pii?.enabled !== false)
    metrics.push(piiMetric({ ipAddresses: safety.pii?.ip_addresses ?? false }))
  const suites = safety.bias?.length ? await biasEvalSuites(safety.bias, configDir) : []
  if (suites.length) metrics.push(biasCaseMetric())
  return { metrics, suites }
}
