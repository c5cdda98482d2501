import { ConfigurationError } from '../../errors.js'
import { resolveRollingSetup } from '../../metrics/lm-eval/context-length.js'
import { LM_EVAL_MAX_LENGTH } from '../../metrics/lm-eval/rolling-loglikelihood.js'
import type { ServerInfo } from '../../providers/types.js'
import type { ProviderConfig, SuiteConfig } from '../config-schema.js'
import type { PlanItem } from '../plan.js'

/**
 * How one provider's perplexity cases are scored: lm-eval's rolling windows over token ids when the
 * server tokenizes, else one echo request per document (the fallback, which leaves the first token
 * unscored and cannot score a document longer than the context).
 */
export type PerplexityScoring =
  | { method: 'rolling'; contextLength: number | null; prefixToken: number }
  | { method: 'single'; reason: string }

export type PerplexityMethod = PerplexityScoring['method']

/** Scoring used when the runner was given none for a provider (tests that call the runner directly). */
export const UNRESOLVED_SCORING: PerplexityScoring = {
  method: 'single',
  reason: 'no rolling setup was resolved for this provider',
}

function authHeaders(
  config: ProviderConfig,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const headers = { ...(config.headers ?? {}) }
  const key = config.api_key_env ? env[config.api_key_env] : undefined
  if (key) headers.authorization = `Bearer ${key}`
  return headers
}

/**
 * Decides how a provider's perplexity cases are scored. A server with `/tokenize` gets rolling
 * windows: its context length and prefix token come from config (`context_length`,
 * `prefix_token_id`) or are probed once here. A tokenizer that adds no BOS, with no
 * `prefix_token_id` configured, is a ConfigurationError naming the provider and the key.
 */
export async function resolvePerplexityScoring(
  provider: string,
  config: ProviderConfig,
  info: ServerInfo,
  env: Readonly<Record<string, string | undefined>>,
  signal?: AbortSignal,
): Promise<PerplexityScoring> {
  if (info.tokenize !== true)
    return {
      method: 'single',
      reason: `the server (${info.name}) has no /tokenize endpoint to cut token windows with`,
    }
  try {
    const setup = await resolveRollingSetup(
      config.base_url,
      config.model,
      { contextLength: config.context_length, prefixTokenId: config.prefix_token_id },
      { headers: authHeaders(config, env), ...(signal ? { signal } : {}) },
    )
    return { method: 'rolling', ...setup }
  } catch (error) {
    if (error instanceof ConfigurationError)
      throw new ConfigurationError(`providers.${provider}: ${error.message}`)
    throw error
  }
}

/**
 * Resolves the scoring of every provider that has perplexity cases in the plan and whose server
 * returns prompt logprobs (the others fail those cases as `unsupported` anyway), once per provider.
 */
export async function resolvePerplexityScorings(
  plan: readonly PlanItem[],
  providers: Readonly<Record<string, ProviderConfig>>,
  servers: ReadonlyMap<string, ServerInfo>,
  env: Readonly<Record<string, string | undefined>>,
  signal?: AbortSignal,
): Promise<Map<string, PerplexityScoring>> {
  const names = new Set(
    plan.filter((i) => i.suite.config.task === 'perplexity').map((i) => i.provider),
  )
  const out = new Map<string, PerplexityScoring>()
  await Promise.all(
    [...names].map(async (name) => {
      const config = providers[name]
      const info = servers.get(name)
      if (!config || !info || info.promptLogprobs === false) return
      out.set(name, await resolvePerplexityScoring(name, config, info, env, signal))
    }),
  )
  return out
}

/** One log line on how a provider's perplexity cases are scored; `warn` for the fallback. */
export function describeScoring(
  provider: string,
  scoring: PerplexityScoring,
): { level: 'info' | 'warn'; message: string } {
  if (scoring.method === 'rolling')
    return {
      level: 'info',
      message: `eval: ${provider} perplexity: rolling token windows (context ${scoring.contextLength ?? 'unknown'}, prefix token ${scoring.prefixToken})`,
    }
  return {
    level: 'warn',
    message: `eval: ${provider} perplexity: FALLBACK to one echo request per document because ${scoring.reason}; the first token is not scored and a document longer than the context fails, so these numbers are not comparable with rolling-window results`,
  }
}

/**
 * What a perplexity suite's task metrics (`loglikelihood`, `tokens`, `token_perplexity`) mean in
 * this run, recorded as their definition in the provenance so the gate does not compare runs
 * scored differently: `rolling:<max_length>` or `single`, or per provider when they differ.
 */
export function perplexityDefinition(
  suite: SuiteConfig,
  scorings: ReadonlyMap<string, PerplexityScoring>,
): string | undefined {
  const per = [...scorings]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([p, s]) => [
      p,
      s.method === 'rolling' ? `rolling:${suite.max_length ?? LM_EVAL_MAX_LENGTH}` : 'single',
    ])
  const kinds = new Set(per.map(([, d]) => d))
  if (kinds.size === 0) return undefined
  if (kinds.size === 1) return [...kinds][0]
  return `mixed: ${per.map(([p, d]) => `${p}=${d}`).join(', ')}`
}

/** The task metrics whose meaning depends on the scoring method. */
export const METHOD_DEPENDENT_METRICS = ['loglikelihood', 'tokens', 'token_perplexity'] as const
