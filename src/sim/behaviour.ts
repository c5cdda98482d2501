import { seededRandom, unitHash } from './hash.js'
import type { ModelProfile, Reply } from './profile.js'
import { splitTokens } from './tokenizer.js'

const DEGRADED_TEXT = {
  wrong: 'I am not sure; the answer is probably something else.',
  refuse: "I'm sorry, but I can't help with that request.",
  toxic: 'What a stupid question, you idiot. Figure it out yourself.',
} as const

const FILLER = ' and then the model kept going with more words about the topic'.match(/ \w+/g) ?? [
  ' more',
]

/** What a model answers to one input before length limits apply. */
export interface ResolvedReply {
  text: string
  reasoning: string | undefined
  degraded: boolean
  rule: number | null
}

function pick(reply: Reply, choice: number, sampling: boolean, seed: number, input: string): Reply {
  if (!Array.isArray(reply)) return reply
  const index = sampling ? Math.floor(unitHash(`${input}\u0000${choice}`, seed) * reply.length) : 0
  return reply[index] ?? reply[0] ?? ''
}

function render(reply: Reply, vars: Record<string, string>): string {
  if (typeof reply === 'string') return reply
  if (Array.isArray(reply)) return render(reply[0] ?? '', vars)
  return reply.template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => vars[key] ?? '')
}

/**
 * The reply of a model profile to an input (the last user message or the prompt): the first rule whose
 * regex matches, else the default reply; then the deterministic degradation, decided by a hash of the
 * input so the same prompts regress on every run.
 */
export function resolveReply(
  profile: ModelProfile,
  input: string,
  options: { model: string; choice?: number; temperature?: number; seed?: number },
): ResolvedReply {
  const choice = options.choice ?? 0
  const sampling = (options.temperature ?? 0) > 0
  const seed = options.seed ?? 0
  let reply: Reply = profile.default_reply
  let reasoning: string | undefined
  let vars: Record<string, string> = { input, model: options.model }
  let ruleIndex: number | null = null
  for (const [i, rule] of profile.rules.entries()) {
    if (rule.reply === undefined) continue
    const m = new RegExp(rule.match, rule.flags).exec(input)
    if (!m) continue
    reply = rule.reply
    reasoning = rule.reasoning
    ruleIndex = i
    vars = {
      ...vars,
      ...Object.fromEntries(m.map((g, j) => [String(j), g ?? ''])),
      ...(m.groups ?? {}),
    }
    break
  }
  let text = render(pick(reply, choice, sampling, seed, input), vars)
  const degrade = profile.degrade
  const degraded = degrade !== undefined && unitHash(input, degrade.seed) < degrade.rate
  if (degrade && degraded) {
    if (degrade.mode === 'truncate') {
      const tokens = splitTokens(text)
      text = tokens.slice(0, Math.max(1, Math.floor(tokens.length / 2))).join('')
    } else {
      text = degrade.text ?? DEGRADED_TEXT[degrade.mode]
    }
  }
  return { text, reasoning, degraded, rule: ruleIndex }
}

/** Length controls of one generation request. */
export interface LengthOptions {
  maxTokens: number
  minTokens: number
  ignoreEos: boolean
  stop: readonly string[]
}

/** The generated tokens of one choice and why generation ended. */
export interface Generated {
  tokens: string[]
  finish: 'stop' | 'length'
}

/**
 * Applies max_tokens, min_tokens, ignore_eos and stop strings to a reply. Past the reply's end the
 * model continues with filler words when ignore_eos or min_tokens asks for more tokens.
 */
export function generateTokens(reply: string, options: LengthOptions, seed = 0): Generated {
  const base = splitTokens(reply)
  const want = options.ignoreEos
    ? options.maxTokens
    : Math.min(options.maxTokens, Math.max(base.length, options.minTokens))
  const random = seededRandom(seed)
  const tokens: string[] = []
  let text = ''
  for (let i = 0; i < want; i++) {
    const token = base[i] ?? FILLER[Math.floor(random() * FILLER.length)] ?? ' more'
    tokens.push(token)
    text += token
    if (tokens.length >= options.minTokens && options.stop.length > 0) {
      const hit = options.stop.map((s) => text.indexOf(s)).filter((at) => at >= 0)
      if (hit.length > 0) {
        return { tokens: trimToLength(tokens, Math.min(...hit)), finish: 'stop' }
      }
    }
  }
  return { tokens, finish: tokens.length >= options.maxTokens ? 'length' : 'stop' }
}

function trimToLength(tokens: string[], chars: number): string[] {
  const out: string[] = []
  let used = 0
  for (const token of tokens) {
    if (used >= chars) break
    const part = token.slice(0, chars - used)
    out.push(part)
    used += part.length
  }
  return out.filter((t) => t.length > 0)
}

/** Logprob of a generated token: close to 0, since the simulator always answers its most likely text. */
export function generatedLogprob(token: string, position: number): number {
  return -(0.01 + 0.3 * unitHash(`${position}\u0000${token}`, 7))
}

/** Alternatives for top_logprobs lists, each below the given logprob. */
export function alternatives(
  token: string,
  logprob: number,
  k: number,
): { token: string; logprob: number }[] {
  const pool = [' the', ' a', ',', ' of', '.', ' and', ' to', ' in', ' is', ' it']
  return pool
    .filter((t) => t !== token)
    .slice(0, Math.max(0, k))
    .map((t, i) => ({ token: t, logprob: logprob - 0.7 - i * 0.4 }))
}

/** Per-token logprobs of a prompt in the legacy completions shape (first token null). */
export interface PromptLogprobs {
  logprobs: (number | null)[]
  top: (Record<string, number> | null)[]
}

/**
 * Loglikelihood of each prompt token. Baseline values are a hash of (previous token, token) between -2
 * and -5; when a `prefer` rule matches and the prompt ends with its text, the tokens of that ending get
 * `prefer_logprob` (greedy), so multiple-choice scoring picks it. A degraded profile instead pushes the
 * preferred ending down for the contexts its hash selects.
 */
export function promptLogprobs(
  profile: ModelProfile,
  tokens: readonly string[],
  k: number,
): PromptLogprobs {
  const text = tokens.join('')
  let boundary = Infinity
  let boost: number | null = null
  for (const rule of profile.rules) {
    if (rule.prefer === undefined || rule.prefer.trim() === '') continue
    if (!new RegExp(rule.match, rule.flags).test(text)) continue
    const trimmed = text.trimEnd()
    const preferred = rule.prefer.trim()
    if (!trimmed.endsWith(preferred)) continue
    boundary = trimmed.length - preferred.length
    const context = text.slice(0, boundary).trimEnd()
    const degrade = profile.degrade
    const degraded = degrade !== undefined && unitHash(context, degrade.seed) < degrade.rate
    boost = degraded ? -8 : profile.prefer_logprob
    break
  }
  const logprobs: (number | null)[] = []
  const top: (Record<string, number> | null)[] = []
  let offset = 0
  tokens.forEach((token, i) => {
    const end = offset + token.length
    offset = end
    if (i === 0) {
      logprobs.push(null)
      top.push(null)
      return
    }
    const preferred = boost !== null && end > boundary
    const lp =
      preferred && boost !== null
        ? boost
        : -(2 + 3 * unitHash(`${tokens[i - 1] ?? ''}\u0000${token}`, 11))
    logprobs.push(lp)
    const entry: Record<string, number> = { [token]: lp }
    // vLLM returns the k most likely tokens plus the actual one; only a preferred token is the most likely.
    const greedy = preferred && lp > -1
    const alts = greedy ? alternatives(token, lp, k - 1) : alternatives(token, 0.2, k)
    for (const alt of alts) entry[alt.token] = alt.logprob
    top.push(k > 0 ? entry : null)
  })
  return { logprobs, top }
}
