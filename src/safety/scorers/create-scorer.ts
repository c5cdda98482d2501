import type { Dispatcher } from 'undici'
import { ConfigurationError } from '../../errors.js'
import type { ProviderConfig } from '../../eval/config-schema.js'
import type { ModelClient } from '../../providers/types.js'
import { toxicitySchema, type ToxicityConfig } from '../config-schema.js'
import { lexiconScorer } from '../lexicon/lexicon-scorer.js'
import type { ToxicityScorer } from '../types.js'
import { classifierScorer } from './classifier.js'
import { llamaGuardScorer } from './llama-guard.js'
import { moderationScorer } from './moderation.js'

export interface ScorerDeps {
  providers: Readonly<Record<string, ProviderConfig>>
  env: Readonly<Record<string, string | undefined>>
  /** A ModelClient for a configured provider (Llama Guard); built by the caller from src/providers. */
  clientFor?: (provider: string) => ModelClient
  dispatcher?: Dispatcher
}

function needProvider(config: ToxicityConfig, deps: ScorerDeps): [string, ProviderConfig] {
  const name = config.provider
  if (!name)
    throw new ConfigurationError(
      `safety.toxicity.provider: the '${config.scorer}' scorer needs a provider (add one under providers: and name it here)`,
    )
  const provider = deps.providers[name]
  if (!provider)
    throw new ConfigurationError(`safety.toxicity.provider: unknown provider '${name}'`)
  return [name, provider]
}

/** The scorer `safety.toxicity` selects (the lexicon when the section is absent). */
export function createToxicityScorer(
  config: ToxicityConfig | undefined,
  deps: ScorerDeps,
): ToxicityScorer {
  const c = config ?? toxicitySchema.parse({})
  const transport = {
    timeoutMs: c.timeout_ms,
    maxRetries: c.max_retries,
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  }
  switch (c.scorer) {
    case 'lexicon':
      return lexiconScorer(c.threshold)
    case 'moderation': {
      const [, p] = needProvider(c, deps)
      const key = p.api_key_env ? deps.env[p.api_key_env] : undefined
      return moderationScorer({
        ...transport,
        baseUrl: p.base_url,
        model: c.model ?? p.model,
        threshold: c.threshold,
        headers: { ...(p.headers ?? {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
      })
    }
    case 'llama-guard': {
      const [name] = needProvider(c, deps)
      if (!deps.clientFor)
        throw new ConfigurationError(
          'safety.toxicity: the llama-guard scorer needs a model client for its provider',
        )
      return llamaGuardScorer(deps.clientFor(name), {
        format: c.format,
        logprobs: c.logprobs,
        ...(c.exclude ? { exclude: c.exclude } : {}),
      })
    }
    case 'classifier': {
      if (!c.url)
        throw new ConfigurationError(
          'safety.toxicity.url: the classifier scorer needs the endpoint URL (e.g. http://127.0.0.1:8080/predict)',
        )
      const key = c.api_key_env ? deps.env[c.api_key_env] : undefined
      return classifierScorer({
        ...transport,
        url: c.url,
        threshold: c.threshold,
        ...(c.labels ? { labels: c.labels } : {}),
        headers: key ? { authorization: `Bearer ${key}` } : {},
      })
    }
  }
}
