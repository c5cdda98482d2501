import { decode, splitTokens, tokenString } from './tokenizer.js'

/** A request body the simulator rejects, answered with 400 in OpenAI's error shape. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly param: string | null = null,
  ) {
    super(message)
  }
}

/** One prompt as the model sees it: its text, its token strings, and the text rules match against. */
export interface PromptInput {
  text: string
  tokens: string[]
  matchText: string
}

/** A chat or completions request after validation. */
export interface GenerationRequest {
  kind: 'chat' | 'completion'
  model: string
  prompts: PromptInput[]
  stream: boolean
  includeUsage: boolean
  continuousUsage: boolean
  maxTokens: number | undefined
  minTokens: number
  ignoreEos: boolean
  stop: string[]
  n: number
  seed: number
  temperature: number
  /** Chat: logprobs requested; completions: `logprobs` > 0 or echo with logprobs. */
  logprobs: boolean
  topLogprobs: number
  echo: boolean
}

type Body = Record<string, unknown>

function intField(
  body: Body,
  key: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER } = {},
): number | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new BadRequest(`'${key}' must be an integer between ${min} and ${max}`, 400, key)
  }
  return v
}

function boolField(body: Body, key: string): boolean {
  const v = body[key]
  if (v === undefined || v === null) return false
  if (typeof v !== 'boolean') throw new BadRequest(`'${key}' must be a boolean`, 400, key)
  return v
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && 'text' in part ? String(part.text) : '',
      )
      .join('')
  }
  if (content === null || content === undefined) return ''
  throw new BadRequest("message 'content' must be a string or a list of parts", 400, 'messages')
}

/** Renders chat messages the way the simulator's chat template does (also used by /tokenize). */
export function renderChat(messages: unknown): { text: string; lastUser: string } {
  if (!Array.isArray(messages) || messages.length === 0)
    throw new BadRequest("'messages' must be a non-empty list", 400, 'messages')
  let text = ''
  let lastUser = ''
  for (const m of messages as unknown[]) {
    if (typeof m !== 'object' || m === null || typeof (m as Body).role !== 'string') {
      throw new BadRequest("each message needs a string 'role'", 400, 'messages')
    }
    const role = (m as Body).role as string
    const content = messageText((m as Body).content)
    text += `<|${role}|>\n${content}\n`
    if (role === 'user') lastUser = content
  }
  return { text: `${text}<|assistant|>\n`, lastUser }
}

function promptFromIds(ids: number[]): PromptInput {
  const tokens = ids.map(tokenString)
  const text = decode(ids)
  return { text, tokens, matchText: text }
}

function completionPrompts(prompt: unknown): PromptInput[] {
  const isIds = (v: unknown): v is number[] =>
    Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x))
  if (typeof prompt === 'string')
    return [{ text: prompt, tokens: splitTokens(prompt), matchText: prompt }]
  if (isIds(prompt)) return [promptFromIds(prompt)]
  if (Array.isArray(prompt) && prompt.length > 0) {
    return prompt.map((p: unknown) => {
      if (typeof p === 'string') return { text: p, tokens: splitTokens(p), matchText: p }
      if (isIds(p)) return promptFromIds(p)
      throw new BadRequest("'prompt' items must be strings or token-id lists", 400, 'prompt')
    })
  }
  throw new BadRequest(
    "'prompt' must be a string, a token-id list, or a list of those",
    400,
    'prompt',
  )
}

/** Validates a chat or completions body (the fields vLLM accepts that the simulator acts on). */
export function parseGenerationRequest(
  kind: 'chat' | 'completion',
  body: unknown,
): GenerationRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequest('the body must be a JSON object')
  const b = body as Body
  if (typeof b.model !== 'string' || b.model === '')
    throw new BadRequest("'model' is required", 400, 'model')
  let prompts: PromptInput[]
  let logprobs: boolean
  let topLogprobs: number
  if (kind === 'chat') {
    const { text, lastUser } = renderChat(b.messages)
    prompts = [{ text, tokens: splitTokens(text), matchText: lastUser }]
    logprobs = boolField(b, 'logprobs')
    topLogprobs = intField(b, 'top_logprobs', { max: 20 }) ?? 0
  } else {
    prompts = completionPrompts(b.prompt)
    const k = intField(b, 'logprobs', { max: 20 })
    logprobs = k !== undefined
    topLogprobs = k ?? 0
  }
  const options = (
    typeof b.stream_options === 'object' && b.stream_options !== null ? b.stream_options : {}
  ) as Body
  const stop =
    b.stop === undefined || b.stop === null ? [] : typeof b.stop === 'string' ? [b.stop] : b.stop
  if (!Array.isArray(stop) || !stop.every((s) => typeof s === 'string'))
    throw new BadRequest("'stop' must be a string or a list of strings", 400, 'stop')
  const temperature =
    b.temperature === undefined || b.temperature === null ? 1 : Number(b.temperature)
  if (!Number.isFinite(temperature) || temperature < 0)
    throw new BadRequest("'temperature' must be >= 0", 400, 'temperature')
  return {
    kind,
    model: b.model,
    prompts,
    stream: boolField(b, 'stream'),
    includeUsage: options.include_usage === true,
    continuousUsage: options.continuous_usage_stats === true,
    maxTokens:
      intField(b, 'max_completion_tokens', { min: 0 }) ?? intField(b, 'max_tokens', { min: 0 }),
    minTokens: intField(b, 'min_tokens') ?? 0,
    ignoreEos: boolField(b, 'ignore_eos'),
    stop,
    n: intField(b, 'n', { min: 1, max: 128 }) ?? 1,
    seed: intField(b, 'seed', { min: -(2 ** 53), max: 2 ** 53 }) ?? 0,
    temperature,
    logprobs,
    topLogprobs,
    echo: kind === 'completion' && boolField(b, 'echo'),
  }
}
