/**
 * The model-client surface every capability uses to talk to an OpenAI-compatible server
 * (the eval runner, judges, SelfCheckGPT, Llama Guard, moderation). Implemented in src/providers.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface Usage {
  prompt_tokens?: number
  completion_tokens?: number
  total_tokens?: number
}

export interface TokenLogprob {
  token: string
  logprob: number
  top?: { token: string; logprob: number }[]
}

export interface ChatRequest {
  messages: ChatMessage[]
  temperature?: number
  top_p?: number
  max_tokens?: number
  seed?: number
  stop?: string[]
  n?: number
  logprobs?: boolean
  top_logprobs?: number
  /** Stream the answer over SSE (the response is assembled the same; `ttft_ms` is set). */
  stream?: boolean
  /** Extra body fields passed through as they are (e.g. repetition_penalty). */
  extra?: Record<string, unknown>
}

export interface ChatResponse {
  /** Text of the first choice (all choices in `texts` when n > 1). */
  text: string
  texts: string[]
  finish_reason: string | null
  usage: Usage
  logprobs?: TokenLogprob[]
  latency_ms: number
  /** Time to the first streamed token (streaming requests only). */
  ttft_ms?: number
  cached: boolean
}

export interface CompletionRequest {
  prompt: string | number[] | (string | number[])[]
  max_tokens?: number
  temperature?: number
  seed?: number
  logprobs?: number
  echo?: boolean
  stop?: string[]
  top_p?: number
  stream?: boolean
  extra?: Record<string, unknown>
}

/** OpenAI legacy completions logprobs (what vLLM returns with echo). */
export interface CompletionLogprobs {
  tokens: string[]
  token_logprobs: (number | null)[]
  top_logprobs: (Record<string, number> | null)[] | null
  text_offset?: number[]
}

export interface CompletionResponse {
  choices: {
    index: number
    text: string
    logprobs: CompletionLogprobs | null
    finish_reason: string | null
  }[]
  usage: Usage
  latency_ms: number
  cached: boolean
}

/** What the server is, as probed once (vLLM /version, TGI /info, Ollama /api/version, llama.cpp /props, SGLang /get_server_info). */
export interface ServerInfo {
  name:
    | 'vllm'
    | 'tgi'
    | 'sglang'
    | 'llama.cpp'
    | 'llama-cpp-python'
    | 'ollama'
    | 'llmops-sim'
    | 'unknown'
  version: string | null
  models: string[]
  /** Whether /v1/completions returns echoed prompt logprobs (needed for loglikelihood tasks). */
  promptLogprobs?: boolean
  /** Whether /tokenize exists (vLLM, llama.cpp, the simulator). */
  tokenize?: boolean
}

export interface CallOptions {
  signal?: AbortSignal
  /** Receives each streamed text delta (streaming requests only). */
  onDelta?: (text: string) => void
}

/** Counters a client keeps over its lifetime (reported in summary.json). */
export interface ClientStats {
  requests: number
  retries: number
  cache_hits: number
  cache_misses: number
  /** Requests in flight right now. */
  in_flight: number
  /** Time integral of requests in flight (slot-milliseconds): divided by wall time, the mean concurrency. */
  occupied_ms: number
}

/** A client bound to one configured provider: retries, timeout, concurrency limit and cache are inside. */
export interface ModelClient {
  readonly provider: string
  readonly model: string
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>
  complete(request: CompletionRequest, options?: CallOptions): Promise<CompletionResponse>
  probe(options?: CallOptions): Promise<ServerInfo>
  /** Token ids of a text via the server's /tokenize, when it has one. */
  tokenize?(text: string, options?: CallOptions): Promise<number[]>
  stats?(): ClientStats
  /** Releases connections. */
  close?(): Promise<void>
}
