import { jsonOrNull } from '../../core/json-or-null.js'
import { ConfigurationError } from '../../errors.js'

/** vLLM (and the simulator) `/v1/models`: the `max_model_len` of the served model, or null. */
export function contextLengthFromModels(body: unknown, model: string): number | null {
  const data = (body as { data?: unknown } | null)?.data
  if (!Array.isArray(data)) return null
  const entries = data as { id?: unknown; max_model_len?: unknown }[]
  const entry = entries.find((m) => m.id === model) ?? (entries.length === 1 ? entries[0] : null)
  return positiveInt(entry?.max_model_len)
}

/** llama.cpp server `/props`: `default_generation_settings.n_ctx` (older builds: top-level `n_ctx`), or null. */
export function contextLengthFromProps(body: unknown): number | null {
  const b = body as { n_ctx?: unknown; default_generation_settings?: { n_ctx?: unknown } } | null
  return positiveInt(b?.default_generation_settings?.n_ctx) ?? positiveInt(b?.n_ctx)
}

function positiveInt(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null
}

/**
 * The server's context length in tokens: vLLM's `/v1/models` `max_model_len`, else llama.cpp's
 * `/props` `n_ctx`; null when neither answers (llama-cpp-python, TGI, Ollama: set it in config).
 * `baseUrl` ends in `/v1`.
 */
export async function probeContextLength(
  baseUrl: string,
  model: string,
  options: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<number | null> {
  const headers = options.headers ?? {}
  const base = baseUrl.replace(/\/+$/, '')
  const fromModels = contextLengthFromModels(
    await jsonOrNull(`${base}/models`, { headers, signal: options.signal }),
    model,
  )
  if (fromModels !== null) return fromModels
  const root = base.replace(/\/v1$/, '')
  return contextLengthFromProps(
    await jsonOrNull(`${root}/props`, { headers, signal: options.signal }),
  )
}

/**
 * The tokenizer's BOS id, as the one token the server's `/tokenize` returns for an empty text with
 * special tokens on (vLLM `add_special_tokens`, llama.cpp `add_special`); null when the tokenizer
 * adds none (then set `prefix_token_id`, e.g. to the EOS id, as lm-eval falls back to it).
 */
export async function probePrefixToken(
  baseUrl: string,
  model: string,
  options: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<number | null> {
  const root = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
  const body = await jsonOrNull(`${root}/tokenize`, {
    headers: options.headers ?? {},
    signal: options.signal,
    body: { model, prompt: '', add_special_tokens: true, content: '', add_special: true },
  })
  const tokens = (body as { tokens?: unknown } | null)?.tokens
  return Array.isArray(tokens) && tokens.length === 1 ? positiveIntOrZero(tokens[0]) : null
}

function positiveIntOrZero(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null
}

/** What rolling perplexity needs to know about a server, from config where given. */
export interface RollingSetup {
  contextLength: number | null
  prefixToken: number
}

/**
 * Fills in what config leaves out: the context length from `probeContextLength` (null when the
 * server does not say; windows then use lm-eval's `max_length` alone) and the prefix token from
 * `probePrefixToken`. Without a prefix token there is no first window, so that is an error that
 * names the config key (a ConfigurationError, exit 2).
 */
export async function resolveRollingSetup(
  baseUrl: string,
  model: string,
  configured: { contextLength?: number | undefined; prefixTokenId?: number | undefined },
  options: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<RollingSetup> {
  const [contextLength, prefixToken] = await Promise.all([
    configured.contextLength ?? probeContextLength(baseUrl, model, options),
    configured.prefixTokenId ?? probePrefixToken(baseUrl, model, options),
  ])
  if (prefixToken === null)
    throw new ConfigurationError(
      `cannot tell the prefix token of ${model} at ${baseUrl}: its /tokenize adds no BOS; set prefix_token_id (BOS, else EOS) for rolling perplexity`,
    )
  return { contextLength, prefixToken }
}
