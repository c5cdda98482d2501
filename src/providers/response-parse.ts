import { ProviderError } from './provider-error.js'
import type {
  ChatResponse,
  CompletionLogprobs,
  CompletionResponse,
  TokenLogprob,
  Usage,
} from './types.js'

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined

/** The body of a chat or completion response without the per-call fields. */
export type ChatBody = Omit<ChatResponse, 'latency_ms' | 'cached' | 'ttft_ms'>
export type CompletionBody = Omit<CompletionResponse, 'latency_ms' | 'cached'>

/** Usage counters, keeping only numbers. */
export function parseUsage(v: unknown): Usage {
  if (!isObj(v)) return {}
  const out: Usage = {}
  const p = num(v.prompt_tokens)
  const c = num(v.completion_tokens)
  const t = num(v.total_tokens)
  if (p !== undefined) out.prompt_tokens = p
  if (c !== undefined) out.completion_tokens = c
  if (t !== undefined) out.total_tokens = t
  return out
}

/** Chat logprobs (`logprobs.content[]`) as TokenLogprobs. */
export function parseChatLogprobs(v: unknown): TokenLogprob[] | undefined {
  if (!isObj(v) || !Array.isArray(v.content)) return undefined
  return v.content.filter(isObj).map((t) => {
    const entry: TokenLogprob = {
      token: typeof t.token === 'string' ? t.token : '',
      logprob: num(t.logprob) ?? Number.NEGATIVE_INFINITY,
    }
    if (Array.isArray(t.top_logprobs)) {
      entry.top = t.top_logprobs.filter(isObj).map((x) => ({
        token: typeof x.token === 'string' ? x.token : '',
        logprob: num(x.logprob) ?? Number.NEGATIVE_INFINITY,
      }))
    }
    return entry
  })
}

/** A non-streamed `/v1/chat/completions` body. */
export function parseChatBody(body: unknown, url: string): ChatBody {
  if (!isObj(body) || !Array.isArray(body.choices) || body.choices.length === 0) {
    throw new ProviderError('bad_response', `chat response from ${url} has no choices`, { url })
  }
  const choices = body.choices.filter(isObj)
  const texts = choices.map((c) => {
    const content = isObj(c.message) ? c.message.content : undefined
    return typeof content === 'string' ? content : ''
  })
  const first = choices[0]
  const out: ChatBody = {
    text: texts[0] ?? '',
    texts,
    finish_reason: typeof first?.finish_reason === 'string' ? first.finish_reason : null,
    usage: parseUsage(body.usage),
  }
  const lp = parseChatLogprobs(first?.logprobs)
  if (lp) out.logprobs = lp
  return out
}

function parseCompletionLogprobs(v: unknown): CompletionLogprobs | null {
  if (!isObj(v) || !Array.isArray(v.token_logprobs)) return null
  const out: CompletionLogprobs = {
    tokens: Array.isArray(v.tokens) ? v.tokens.map(String) : [],
    token_logprobs: v.token_logprobs.map((x) => num(x) ?? null),
    top_logprobs: Array.isArray(v.top_logprobs)
      ? v.top_logprobs.map((t) =>
          isObj(t)
            ? Object.fromEntries(
                Object.entries(t).map(([k, x]) => [k, num(x) ?? Number.NEGATIVE_INFINITY]),
              )
            : null,
        )
      : null,
  }
  if (Array.isArray(v.text_offset)) out.text_offset = v.text_offset.map((x) => num(x) ?? 0)
  return out
}

/** A non-streamed `/v1/completions` body; choices sorted by index. */
export function parseCompletionBody(body: unknown, url: string): CompletionBody {
  if (!isObj(body) || !Array.isArray(body.choices)) {
    throw new ProviderError('bad_response', `completion response from ${url} has no choices`, {
      url,
    })
  }
  const choices = body.choices.filter(isObj).map((c, i) => ({
    index: num(c.index) ?? i,
    text: typeof c.text === 'string' ? c.text : '',
    logprobs: parseCompletionLogprobs(c.logprobs),
    finish_reason: typeof c.finish_reason === 'string' ? c.finish_reason : null,
  }))
  choices.sort((a, b) => a.index - b.index)
  return { choices, usage: parseUsage(body.usage) }
}

/** Folds streamed chat chunks into one body. */
export class ChatStreamAssembler {
  private readonly texts: string[] = []
  private finish: string | null = null
  private usage: Usage = {}
  private readonly logprobs: TokenLogprob[] = []

  /** Adds one chunk; returns the text delta of choice 0 (empty when none). */
  add(chunk: unknown): string {
    if (!isObj(chunk)) return ''
    if (isObj(chunk.usage)) this.usage = parseUsage(chunk.usage)
    let delta0 = ''
    for (const c of Array.isArray(chunk.choices) ? chunk.choices.filter(isObj) : []) {
      const i = num(c.index) ?? 0
      const content = isObj(c.delta) && typeof c.delta.content === 'string' ? c.delta.content : ''
      this.texts[i] = (this.texts[i] ?? '') + content
      if (i === 0) {
        delta0 += content
        if (typeof c.finish_reason === 'string') this.finish = c.finish_reason
        const lp = parseChatLogprobs(c.logprobs)
        if (lp) this.logprobs.push(...lp)
      }
    }
    return delta0
  }

  result(): ChatBody {
    const texts = Array.from(this.texts, (t) => t ?? '')
    const out: ChatBody = {
      text: texts[0] ?? '',
      texts,
      finish_reason: this.finish,
      usage: this.usage,
    }
    if (this.logprobs.length) out.logprobs = this.logprobs
    return out
  }
}

/** Folds streamed completion chunks into one body (text only; logprobs are concatenated). */
export class CompletionStreamAssembler {
  private readonly choices = new Map<number, CompletionBody['choices'][number]>()
  private usage: Usage = {}

  add(chunk: unknown): string {
    if (!isObj(chunk)) return ''
    if (isObj(chunk.usage)) this.usage = parseUsage(chunk.usage)
    let delta0 = ''
    for (const c of Array.isArray(chunk.choices) ? chunk.choices.filter(isObj) : []) {
      const index = num(c.index) ?? 0
      const cur = this.choices.get(index) ?? {
        index,
        text: '',
        logprobs: null,
        finish_reason: null,
      }
      const text = typeof c.text === 'string' ? c.text : ''
      cur.text += text
      if (typeof c.finish_reason === 'string') cur.finish_reason = c.finish_reason
      const lp = parseCompletionLogprobs(c.logprobs)
      if (lp) {
        if (!cur.logprobs) cur.logprobs = lp
        else {
          cur.logprobs.tokens.push(...lp.tokens)
          cur.logprobs.token_logprobs.push(...lp.token_logprobs)
          if (cur.logprobs.top_logprobs && lp.top_logprobs)
            cur.logprobs.top_logprobs.push(...lp.top_logprobs)
        }
      }
      this.choices.set(index, cur)
      if (index === 0) delta0 += text
    }
    return delta0
  }

  result(): CompletionBody {
    return {
      choices: [...this.choices.values()].sort((a, b) => a.index - b.index),
      usage: this.usage,
    }
  }
}
