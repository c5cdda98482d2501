import type { ServerInfo } from './types.js'

/** GETs a path under the server root and returns its JSON, or undefined on any failure. */
export type ProbeGet = (path: string) => Promise<unknown>

type Json = Record<string, unknown>

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null
}

/**
 * Identifies the server behind an OpenAI-compatible URL from its native endpoints, each of which only
 * one family serves: SGLang `/get_server_info`, TGI `/info`, Ollama `/api/version`, llama.cpp `/props`,
 * vLLM `/version` (the simulator answers `/version` with its own name); llama-cpp-python's server has
 * none of these, but its FastAPI description (`/openapi.json`) names it and carries its version.
 */
export async function identifyServer(get: ProbeGet): Promise<Pick<ServerInfo, 'name' | 'version'>> {
  const [sglang, tgi, ollama, llamacpp, version, openapi] = await Promise.all(
    ['/get_server_info', '/info', '/api/version', '/props', '/version', '/openapi.json'].map((p) =>
      get(p).catch(() => undefined),
    ),
  )
  const s = obj(sglang)
  if (s && ('version' in s || 'model_path' in s || 'tokenizer_path' in s))
    return { name: 'sglang', version: str(s.version) }
  const t = obj(tgi)
  if (t && 'model_id' in t) return { name: 'tgi', version: str(t.version) }
  const o = obj(ollama)
  if (o && 'version' in o && !('name' in o)) return { name: 'ollama', version: str(o.version) }
  const l = obj(llamacpp)
  if (l && ('default_generation_settings' in l || 'total_slots' in l || 'build_info' in l)) {
    return { name: 'llama.cpp', version: str(l.build_info) }
  }
  const v = obj(version)
  if (v) {
    if (v.name === 'llmops-sim') return { name: 'llmops-sim', version: str(v.version) }
    if ('version' in v) return { name: 'vllm', version: str(v.version) }
  }
  const info = obj(obj(openapi)?.info)
  if (info && typeof info.title === 'string' && info.title.includes('llama.cpp Python API'))
    return { name: 'llama-cpp-python', version: str(info.version) }
  return { name: 'unknown', version: null }
}

/** Model ids from a `/v1/models` answer (`{data: [{id}]}`). */
export function modelIds(body: unknown): string[] {
  const data = obj(body)?.data
  if (!Array.isArray(data)) return []
  return data.map((m) => str(obj(m)?.id)).filter((id): id is string => id !== null)
}

/**
 * Whether an echoed completion carries prompt logprobs: with `echo` and `max_tokens: 1` a server that
 * scores the prompt returns one logprob per prompt token plus the generated one (the first may be null);
 * llama.cpp returns only the generated token's.
 */
export function hasPromptLogprobs(body: unknown): boolean {
  const choice = obj((obj(body)?.choices as unknown[] | undefined)?.[0])
  const lp = obj(choice?.logprobs)
  const values = lp?.token_logprobs
  if (!Array.isArray(values)) return false
  return values.length >= 2 && values.slice(1).some((x) => typeof x === 'number')
}

/** The probe's echo request body: two words, one generated token, logprobs of the prompt. */
export function echoProbeBody(model: string): Record<string, unknown> {
  return { model, prompt: 'Hello world', max_tokens: 1, temperature: 0, logprobs: 1, echo: true }
}

/** The server root (the base URL without its trailing `/v1`), where native endpoints live. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
}
