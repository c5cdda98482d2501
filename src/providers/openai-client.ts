import type { Dispatcher } from 'undici'
import { ConfigurationError } from '../errors.js'
import type { ProviderConfig } from '../eval/config-schema.js'
import { ProviderError } from './provider-error.js'
import { ResponseCache, cacheKey, isCacheable } from './response-cache.js'
import {
  ChatStreamAssembler,
  CompletionStreamAssembler,
  parseChatBody,
  parseCompletionBody,
  type ChatBody,
  type CompletionBody,
} from './response-parse.js'
import { Limiter } from './limiter.js'
import {
  defaultRetryPolicy,
  systemClock,
  withRetry,
  type Clock,
  type RetryPolicy,
} from './retry.js'
import {
  echoProbeBody,
  hasPromptLogprobs,
  identifyServer,
  modelIds,
  serverRoot,
} from './server-probe.js'
import { sseData } from './sse.js'
import { createAgent, readJson, send } from './transport.js'
import type {
  CallOptions,
  ChatRequest,
  ChatResponse,
  ClientStats,
  CompletionRequest,
  CompletionResponse,
  ModelClient,
  ServerInfo,
} from './types.js'

/** What a client needs besides its provider config; all optional except the environment. */
export interface ClientDeps {
  env: Readonly<Record<string, string | undefined>>
  cache?: ResponseCache | undefined
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>
  clock?: Clock
  random?: () => number
  dispatcher?: Dispatcher
  /** Called on every retry (for logging). */
  onRetry?: (message: string) => void
}

const PROBE_TIMEOUT_MS = 5_000

/** Drops undefined fields so request bodies (and cache keys) do not depend on how options were spelled. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}

/**
 * A ModelClient for one configured provider over the OpenAI HTTP API (vLLM, TGI, SGLang, llama.cpp,
 * Ollama, hosted APIs): bearer auth from the named env var, per-request timeout, retries with backoff,
 * a concurrency limit, cancellation and the on-disk response cache for deterministic requests.
 */
export class OpenAIClient implements ModelClient {
  readonly baseUrl: string
  readonly root: string
  private readonly headers: Record<string, string>
  private readonly limiter: Limiter
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly policy: RetryPolicy
  private readonly clock: Clock
  private readonly random: () => number
  private probed: Promise<ServerInfo> | undefined
  private readonly counters = { requests: 0, retries: 0, cache_hits: 0, cache_misses: 0 }

  constructor(
    readonly provider: string,
    private readonly config: ProviderConfig,
    private readonly deps: ClientDeps,
  ) {
    this.baseUrl = config.base_url.replace(/\/+$/, '')
    this.root = serverRoot(this.baseUrl)
    this.headers = { ...(config.headers ?? {}) }
    if (config.api_key_env) {
      const key = deps.env[config.api_key_env]
      if (key === undefined || key === '') {
        throw new ConfigurationError(
          `providers.${provider}.api_key_env: environment variable ${config.api_key_env} is not set (it holds the API key for ${this.baseUrl})`,
        )
      }
      this.headers.authorization = `Bearer ${key}`
    }
    this.limiter = new Limiter(config.concurrency)
    this.ownsDispatcher = !deps.dispatcher
    this.dispatcher = deps.dispatcher ?? createAgent(config.concurrency + 2, config.timeout_ms)
    this.policy = { ...defaultRetryPolicy, ...deps.retry, maxRetries: config.max_retries }
    this.clock = deps.clock ?? systemClock
    this.random = deps.random ?? Math.random
  }

  get model(): string {
    return this.config.model
  }

  stats(): ClientStats {
    return {
      ...this.counters,
      in_flight: this.limiter.inFlight,
      occupied_ms: Math.round(this.limiter.occupiedMs),
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
  }

  async chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
    const body = compact({
      model: this.config.model,
      messages: request.messages,
      temperature: request.temperature,
      top_p: request.top_p,
      max_tokens: request.max_tokens,
      seed: request.seed,
      stop: request.stop,
      n: request.n,
      logprobs: request.logprobs,
      top_logprobs: request.top_logprobs,
      ...(request.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...request.extra,
    })
    return this.call<ChatBody>('/chat/completions', body, options, (res, url, started) =>
      request.stream
        ? this.readChatStream(res, started, options)
        : readJson(res, url).then((j) => parseChatBody(j, url)),
    )
  }

  async complete(
    request: CompletionRequest,
    options: CallOptions = {},
  ): Promise<CompletionResponse> {
    const body = compact({
      model: this.config.model,
      prompt: request.prompt,
      max_tokens: request.max_tokens,
      temperature: request.temperature,
      top_p: request.top_p,
      seed: request.seed,
      logprobs: request.logprobs,
      echo: request.echo,
      stop: request.stop,
      ...(request.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...request.extra,
    })
    return this.call<CompletionBody>('/completions', body, options, (res, url) =>
      request.stream
        ? this.readCompletionStream(res, options)
        : readJson(res, url).then((j) => parseCompletionBody(j, url)),
    )
  }

  /** Probes the server once: identity, models, prompt logprobs and /tokenize. Unreachable after retries throws. */
  probe(options: CallOptions = {}): Promise<ServerInfo> {
    this.probed ??= this.runProbe(options)
    return this.probed
  }

  async tokenize(text: string, options: CallOptions = {}): Promise<number[]> {
    const info = await this.probe(options)
    const body =
      info.name === 'llama.cpp'
        ? { content: text }
        : { model: this.config.model, prompt: text, add_special_tokens: false }
    const url = `${this.root}/tokenize`
    const res = await this.retrying(options.signal, () =>
      this.limiter.run(
        () => send(url, body, this.sendOptions(options.signal), (r) => readJson(r, url)),
        options.signal,
      ),
    )
    const tokens = (res.body as { tokens?: unknown } | null)?.tokens
    if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'number')) {
      throw new ProviderError('bad_response', `/tokenize of ${this.root} returned no token ids`, {
        url,
      })
    }
    return tokens
  }

  private sendOptions(signal: AbortSignal | undefined, timeoutMs = this.config.timeout_ms) {
    return { headers: this.headers, timeoutMs, signal, dispatcher: this.dispatcher }
  }

  private retrying<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      () => {
        this.counters.requests++
        return fn()
      },
      {
        policy: this.policy,
        clock: this.clock,
        random: this.random,
        signal,
        onRetry: (error, attempt, delay) => {
          this.counters.retries++
          this.deps.onRetry?.(
            `${this.provider}: ${error.message}; retry ${attempt + 1}/${this.policy.maxRetries} in ${delay} ms`,
          )
        },
      },
    )
  }

  private async call<B extends ChatBody | CompletionBody>(
    endpoint: string,
    body: Record<string, unknown>,
    options: CallOptions,
    consume: (
      res: Dispatcher.ResponseData,
      url: string,
      started: number,
    ) => Promise<B & { ttft_ms?: number }>,
  ): Promise<B & { latency_ms: number; cached: boolean }> {
    const cache = this.deps.cache && isCacheable(body) ? this.deps.cache : undefined
    const key = cache
      ? cacheKey({ base_url: this.baseUrl, model: this.config.model }, endpoint, body)
      : ''
    if (cache) {
      const hit = await cache.get(key)
      if (hit) {
        this.counters.cache_hits++
        return { ...(hit.body as B), latency_ms: hit.latency_ms, cached: true }
      }
      this.counters.cache_misses++
    }
    const url = `${this.baseUrl}${endpoint}`
    const res = await this.retrying(options.signal, () =>
      this.limiter.run(
        () =>
          send(url, body, this.sendOptions(options.signal), (r, started) =>
            consume(r, url, started),
          ),
        options.signal,
      ),
    )
    const latency = Math.round(res.latency_ms * 1000) / 1000
    if (cache) await cache.set(key, { body: res.body, latency_ms: latency })
    return { ...res.body, latency_ms: latency, cached: false }
  }

  private async readChatStream(
    res: Dispatcher.ResponseData,
    started: number,
    options: CallOptions,
  ) {
    const assembler = new ChatStreamAssembler()
    let ttft: number | undefined
    for await (const data of sseData(res.body)) {
      const delta = assembler.add(parseChunk(data, this.baseUrl))
      if (delta !== '') {
        ttft ??= performance.now() - started
        options.onDelta?.(delta)
      }
    }
    const out: ChatBody & { ttft_ms?: number } = assembler.result()
    if (ttft !== undefined) out.ttft_ms = Math.round(ttft * 1000) / 1000
    return out
  }

  private async readCompletionStream(res: Dispatcher.ResponseData, options: CallOptions) {
    const assembler = new CompletionStreamAssembler()
    for await (const data of sseData(res.body)) {
      const delta = assembler.add(parseChunk(data, this.baseUrl))
      if (delta !== '') options.onDelta?.(delta)
    }
    return assembler.result()
  }

  private async runProbe(options: CallOptions): Promise<ServerInfo> {
    const get = async (path: string) => {
      const url = `${this.root}${path}`
      const res = await send(
        url,
        undefined,
        { ...this.sendOptions(options.signal, PROBE_TIMEOUT_MS), method: 'GET' },
        (r) => readJson(r, url),
      )
      return res.body
    }
    const modelsUrl = `${this.baseUrl}/models`
    // /v1/models doubles as the reachability check: it is the one call that gets retries.
    let models: string[] = []
    try {
      const res = await this.retrying(options.signal, () =>
        send(modelsUrl, undefined, { ...this.sendOptions(options.signal), method: 'GET' }, (r) =>
          readJson(r, modelsUrl),
        ),
      )
      models = modelIds(res.body)
    } catch (error) {
      if (
        !(error instanceof ProviderError) ||
        error.kind === 'connection' ||
        error.kind === 'timeout' ||
        error.kind === 'cancelled'
      )
        throw error
    }
    const identity = await identifyServer(get)
    const [promptLogprobs, tokenize] = await Promise.all([
      // Retried like any request: a 429 on the probe must not read as "no prompt logprobs".
      this.retrying(options.signal, () =>
        send(
          `${this.baseUrl}/completions`,
          echoProbeBody(this.config.model),
          this.sendOptions(options.signal),
          (r) => readJson(r, this.baseUrl),
        ),
      ).then(
        (r) => hasPromptLogprobs(r.body),
        (error: unknown) => {
          if (
            error instanceof ProviderError &&
            (error.kind === 'connection' || error.kind === 'cancelled')
          )
            throw error
          return false
        },
      ),
      send(
        `${this.root}/tokenize`,
        identity.name === 'llama.cpp'
          ? { content: 'Hello world' }
          : { model: this.config.model, prompt: 'Hello world', add_special_tokens: false },
        this.sendOptions(options.signal, PROBE_TIMEOUT_MS),
        (r) => readJson(r, this.root),
      )
        .then((r) => Array.isArray((r.body as { tokens?: unknown } | null)?.tokens))
        .catch(() => false),
    ])
    return { ...identity, models, promptLogprobs, tokenize }
  }
}

function parseChunk(data: string, url: string): unknown {
  try {
    return JSON.parse(data) as unknown
  } catch {
    throw new ProviderError(
      'bad_response',
      `stream from ${url} sent a chunk that is not JSON: ${data.slice(0, 200)}`,
      { url },
    )
  }
}

/** A client for a configured provider. */
export function createModelClient(
  name: string,
  config: ProviderConfig,
  deps: ClientDeps,
): OpenAIClient {
  return new OpenAIClient(name, config, deps)
}
