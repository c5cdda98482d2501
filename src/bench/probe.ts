import { request } from 'undici'
import { jsonOrNull } from '../core/json-or-null.js'
import { identifyServer } from '../providers/server-probe.js'
import type { ServerTokenizer } from './prompts.js'
import { measureRequest } from './request-metrics.js'
import { nowMs } from './timeline.js'

/** What the server supports, found by one small request each; recorded in bench.json. */
export interface ServerCapabilities {
  name: string
  version: string | null
  usage: boolean
  continuous_usage: boolean
  ignore_eos: boolean
  tokenize: boolean
}

/** How the benchmark talks to the endpoint. */
export interface Endpoint {
  origin: string
  /** `/v1/chat/completions` or `/v1/completions`. */
  path: string
  model: string
  headers: Record<string, string>
}

/** Splits an OpenAI base URL (`http://host:port/v1`) into origin and the API prefix. */
export function parseEndpoint(
  url: string,
  model: string,
  api: 'chat' | 'completions',
  apiKey?: string,
): Endpoint {
  const u = new URL(url)
  const prefix = u.pathname.replace(/\/+$/, '')
  const base = prefix.endsWith('/v1') || prefix === '' ? (prefix === '' ? '/v1' : prefix) : prefix
  return {
    origin: u.origin,
    path: `${base}/${api === 'chat' ? 'chat/completions' : 'completions'}`,
    model,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
  }
}

/** The streaming request body the benchmark sends. */
export function requestBody(
  endpoint: Endpoint,
  prompt: string,
  outputTokens: number,
  caps: Pick<ServerCapabilities, 'continuous_usage' | 'ignore_eos'>,
): Record<string, unknown> {
  const chat = endpoint.path.endsWith('chat/completions')
  return {
    model: endpoint.model,
    ...(chat ? { messages: [{ role: 'user', content: prompt }] } : { prompt }),
    max_tokens: outputTokens,
    temperature: 0,
    stream: true,
    stream_options: {
      include_usage: true,
      ...(caps.continuous_usage ? { continuous_usage_stats: true } : {}),
    },
    ...(caps.ignore_eos ? { ignore_eos: true, min_tokens: outputTokens } : {}),
  }
}

async function post(endpoint: Endpoint, path: string, body: unknown, timeoutMs: number) {
  const res = await request(`${endpoint.origin}${path}`, {
    method: 'POST',
    headers: endpoint.headers,
    body: JSON.stringify(body),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  })
  const chunks: Buffer[] = []
  const times: number[] = []
  for await (const chunk of res.body) {
    times.push(nowMs())
    chunks.push(chunk as Buffer)
  }
  return { status: res.statusCode, raw: { chunks, times } }
}

/**
 * Probes the server once: its identity (the same native endpoints as the eval client), whether streams carry usage (final and continuous),
 * whether `ignore_eos`/`min_tokens` give a fixed output length, and whether /tokenize works.
 * Throws (an infrastructure failure) when the endpoint does not answer at all.
 */
export async function probeServer(
  endpoint: Endpoint,
  timeoutMs: number,
): Promise<{ caps: ServerCapabilities; tokenizer: ServerTokenizer | null }> {
  const identity = await identifyServer((p) =>
    jsonOrNull(`${endpoint.origin}${p}`, { headers: endpoint.headers, timeoutMs }),
  )
  const caps: ServerCapabilities = {
    name: identity.name,
    version: identity.version,
    usage: false,
    continuous_usage: false,
    ignore_eos: false,
    tokenize: false,
  }
  const want = 8
  for (const attempt of [
    { continuous_usage: true, ignore_eos: true },
    { continuous_usage: false, ignore_eos: true },
    { continuous_usage: false, ignore_eos: false },
  ]) {
    const r = await post(
      endpoint,
      endpoint.path,
      requestBody(endpoint, 'Say hello.', want, attempt),
      timeoutMs,
    )
    if (r.status === 400 || r.status === 422) continue
    if (r.status !== 200) throw new Error(`probe request answered HTTP ${r.status}`)
    const m = measureRequest(
      {
        index: -1,
        warmup: true,
        requestId: 'llmops-probe',
        tIntended: null,
        tSend: 0,
        tHeaders: null,
        status: r.status,
        error: null,
        raw: r.raw,
        inputTokens: null,
        requestedOutput: want,
      },
      { scenario: 'probe', load: 'probe' },
    )
    caps.usage = m.token_source === 'usage_final' || m.token_source === 'usage_continuous'
    caps.continuous_usage = m.token_source === 'usage_continuous'
    caps.ignore_eos = attempt.ignore_eos && m.output_tokens === want
    break
  }
  const tokenizer: ServerTokenizer = {
    tokenize: async (text) => {
      const r = await request(`${endpoint.origin}/tokenize`, {
        method: 'POST',
        headers: endpoint.headers,
        body: JSON.stringify({ model: endpoint.model, prompt: text, add_special_tokens: false }),
      }).catch(() => null)
      if (!r || r.statusCode !== 200) {
        await r?.body.dump()
        return null
      }
      const body = (await r.body.json()) as { tokens?: number[] }
      return Array.isArray(body.tokens) ? body.tokens : null
    },
    detokenize: async (ids) => {
      const r = await request(`${endpoint.origin}/detokenize`, {
        method: 'POST',
        headers: endpoint.headers,
        body: JSON.stringify({ model: endpoint.model, tokens: ids }),
      }).catch(() => null)
      if (!r || r.statusCode !== 200) {
        await r?.body.dump()
        return null
      }
      const body = (await r.body.json()) as { prompt?: string }
      return typeof body.prompt === 'string' ? body.prompt : null
    },
  }
  caps.tokenize = (await tokenizer.tokenize('hello world')) !== null
  return { caps, tokenizer: caps.tokenize ? tokenizer : null }
}
