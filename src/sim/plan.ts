import {
  alternatives,
  generatedLogprob,
  generateTokens,
  promptLogprobs,
  resolveReply,
  type PromptLogprobs,
} from './behaviour.js'
import { fnv1a } from './hash.js'
import type { ModelProfile } from './profile.js'
import { BadRequest, type GenerationRequest } from './requests.js'
import { splitTokens } from './tokenizer.js'

/** What one choice will generate. */
export interface ChoicePlan {
  index: number
  reasoning: string[]
  tokens: string[]
  finish: 'stop' | 'length'
  /** The echoed prompt (completions with echo). */
  echo: { tokens: string[]; logprobs: PromptLogprobs } | null
  degraded: boolean
}

/** Everything needed to answer one request, streaming or not. */
export interface ResponsePlan {
  id: string
  created: number
  request: GenerationRequest
  promptTokens: number
  choices: ChoicePlan[]
}

const FILLER_REASONING = ' Let me think about this step by step.'

let sequence = 0

/** Decides every choice's tokens for a validated request against a model profile. */
export function planResponse(profile: ModelProfile, request: GenerationRequest): ResponsePlan {
  const promptTokens = request.prompts.reduce((sum, p) => sum + p.tokens.length, 0)
  const longest = Math.max(...request.prompts.map((p) => p.tokens.length))
  const maxTokens = request.maxTokens ?? Math.max(0, profile.max_model_len - longest)
  if (longest + maxTokens > profile.max_model_len) {
    throw new BadRequest(
      `This model's maximum context length is ${profile.max_model_len} tokens. However, you requested ${longest + maxTokens} tokens (${longest} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`,
      400,
      'max_tokens',
    )
  }
  const choices: ChoicePlan[] = []
  request.prompts.forEach((prompt, p) => {
    for (let i = 0; i < request.n; i++) {
      const seed = fnv1a(`${request.seed}:${i}:${prompt.matchText}`)
      const reply = resolveReply(profile, prompt.matchText, {
        model: request.model,
        choice: i,
        temperature: request.temperature,
        seed: request.seed,
      })
      const generated = generateTokens(
        reply.text,
        {
          maxTokens,
          minTokens: request.minTokens,
          ignoreEos: request.ignoreEos,
          stop: request.stop,
        },
        seed,
      )
      let reasoning: string[] = []
      if (request.kind === 'chat') {
        if (reply.reasoning !== undefined) reasoning = splitTokens(reply.reasoning)
        else if (profile.timing.reasoning_tokens > 0) {
          const filler = splitTokens(FILLER_REASONING)
          reasoning = Array.from(
            { length: profile.timing.reasoning_tokens },
            (_, j) => filler[j % filler.length] ?? ' think',
          )
        }
      }
      const echo = request.echo
        ? {
            tokens: prompt.tokens,
            logprobs: promptLogprobs(profile, prompt.tokens, request.topLogprobs),
          }
        : null
      choices.push({
        index: p * request.n + i,
        reasoning,
        tokens: generated.tokens,
        finish: generated.finish,
        echo,
        degraded: reply.degraded,
      })
    }
  })
  sequence += 1
  return {
    id: `${request.kind === 'chat' ? 'chatcmpl' : 'cmpl'}-sim${sequence.toString(16).padStart(8, '0')}`,
    created: Math.floor(Date.now() / 1000),
    request,
    promptTokens,
    choices,
  }
}

const bytes = (s: string) => [...Buffer.from(s, 'utf8')]

/** Chat `logprobs.content` entries for generated tokens starting at a position. */
export function chatLogprobs(tokens: readonly string[], start: number, k: number) {
  return tokens.map((token, j) => {
    const logprob = generatedLogprob(token, start + j)
    const top = [{ token, logprob }, ...alternatives(token, logprob, k - 1)].slice(0, k)
    return {
      token,
      logprob,
      bytes: bytes(token),
      top_logprobs: top.map((t) => ({ ...t, bytes: bytes(t.token) })),
    }
  })
}

/** Legacy completions logprobs for generated tokens (and the echoed prompt when given). */
export function completionLogprobs(
  tokens: readonly string[],
  start: number,
  k: number,
  textOffset: number,
  echo: ChoicePlan['echo'] = null,
) {
  const out = {
    tokens: [] as string[],
    token_logprobs: [] as (number | null)[],
    top_logprobs: [] as (Record<string, number> | null)[],
    text_offset: [] as number[],
  }
  let offset = textOffset
  if (echo) {
    echo.tokens.forEach((token, i) => {
      out.tokens.push(token)
      out.token_logprobs.push(echo.logprobs.logprobs[i] ?? null)
      out.top_logprobs.push(echo.logprobs.top[i] ?? null)
      out.text_offset.push(offset)
      offset += token.length
    })
  }
  tokens.forEach((token, j) => {
    const logprob = generatedLogprob(token, start + j)
    out.tokens.push(token)
    out.token_logprobs.push(logprob)
    out.top_logprobs.push(
      Object.fromEntries<number>([
        [token, logprob] as const,
        ...alternatives(token, logprob, k - 1).map((a) => [a.token, a.logprob] as const),
      ]),
    )
    out.text_offset.push(offset)
    offset += token.length
  })
  return out
}

/** OpenAI usage of a whole plan. */
export function planUsage(plan: ResponsePlan, completionTokens?: number) {
  const completion =
    completionTokens ??
    plan.choices.reduce((sum, c) => sum + c.reasoning.length + c.tokens.length, 0)
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: completion,
    total_tokens: plan.promptTokens + completion,
  }
}

/** The non-streaming JSON body of a plan. */
export function completeBody(plan: ResponsePlan, reasoningField: string): Record<string, unknown> {
  const { request } = plan
  const base = { id: plan.id, created: plan.created, model: request.model, usage: planUsage(plan) }
  if (request.kind === 'chat') {
    return {
      ...base,
      object: 'chat.completion',
      choices: plan.choices.map((c) => ({
        index: c.index,
        message: {
          role: 'assistant',
          content: c.tokens.join(''),
          ...(c.reasoning.length > 0 ? { [reasoningField]: c.reasoning.join('') } : {}),
        },
        logprobs: request.logprobs
          ? { content: chatLogprobs(c.tokens, 0, request.topLogprobs) }
          : null,
        finish_reason: c.finish,
      })),
    }
  }
  return {
    ...base,
    object: 'text_completion',
    choices: plan.choices.map((c) => ({
      index: c.index,
      text: (c.echo ? c.echo.tokens.join('') : '') + c.tokens.join(''),
      logprobs: request.logprobs
        ? completionLogprobs(c.tokens, 0, request.topLogprobs, 0, c.echo)
        : null,
      finish_reason: c.finish,
    })),
  }
}
