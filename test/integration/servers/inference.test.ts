import { execFileSync } from 'node:child_process'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startInferenceServer, type InferenceServer } from '../harness/inference.js'
import { venvBin } from '../harness/paths.js'

let server: InferenceServer

async function post(
  route: string,
  body: unknown,
): Promise<{ status: number; text: string; contentType: string }> {
  const response = await request(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return {
    status: response.statusCode,
    text: await response.body.text(),
    contentType: String(response.headers['content-type'] ?? ''),
  }
}

async function postJson<T>(route: string, body: unknown): Promise<T> {
  const { status, text } = await post(route, body)
  expect(status, text).toBe(200)
  return JSON.parse(text) as T
}

/** The `data:` payloads of an SSE body, in order. */
function sseData(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .flatMap((event) => event.split(/\r?\n/).filter((line) => line.startsWith('data:')))
    .map((line) => line.slice(5).trim())
}

/** Token ids of `text` according to the shipped tokenizer.json, computed by the `tokenizers` package. */
function referenceTokenIds(text: string): number[] {
  const script =
    'import json,sys\nfrom tokenizers import Tokenizer\nt=Tokenizer.from_file(sys.argv[1])\nprint(json.dumps(t.encode(sys.argv[2]).ids))'
  return JSON.parse(
    execFileSync(venvBin('python'), ['-c', script, server.tokenizerPath, text], {
      encoding: 'utf8',
    }),
  ) as number[]
}

function referenceTokenId(token: string): number {
  const script =
    'import sys\nfrom tokenizers import Tokenizer\nprint(Tokenizer.from_file(sys.argv[1]).token_to_id(sys.argv[2]))'
  return Number(
    execFileSync(venvBin('python'), ['-c', script, server.tokenizerPath, token], {
      encoding: 'utf8',
    }),
  )
}

interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

beforeAll(async () => {
  server = await startInferenceServer()
})

afterAll(async () => {
  await server?.stop()
})

const messages = [
  { role: 'system', content: 'Answer briefly.' },
  { role: 'user', content: 'Where does the morning train go?' },
]

describe('real OpenAI-compatible server on CPU (llama-cpp-python, tiny generated model)', () => {
  it('lists the model on /v1/models', async () => {
    const response = await request(`${server.baseUrl}/models`)
    expect(response.statusCode).toBe(200)
    const body = (await response.body.json()) as { object: string; data: { id: string }[] }
    expect(body.object).toBe('list')
    expect(body.data.map((m) => m.id)).toEqual([server.model])
  })

  it('tokenizes exactly like the tokenizer.json shipped next to the model', async () => {
    const text = 'The baker measured flour by hand, and the bread smelled wonderful.'
    const { tokens } = await postJson<{ tokens: number[] }>('/extras/tokenize', { input: text })
    // The server prepends BOS (the GGUF sets add_bos_token), then the ids must match token for token.
    expect(tokens).toEqual([referenceTokenId('<|endoftext|>'), ...referenceTokenIds(text)])
  })

  it('answers a non-streaming chat completion with usage, deterministically at temperature 0', async () => {
    const body = { model: server.model, messages, max_tokens: 24, temperature: 0, seed: 7 }
    type Chat = {
      object: string
      model: string
      choices: { message: { role: string; content: string }; finish_reason: string }[]
      usage: Usage
    }
    const first = await postJson<Chat>('/v1/chat/completions', body)
    const second = await postJson<Chat>('/v1/chat/completions', body)
    expect(first.object).toBe('chat.completion')
    const choice = first.choices[0]
    expect(choice?.message.role).toBe('assistant')
    expect(typeof choice?.message.content).toBe('string')
    // The generated model never emits EOS, so every answer runs to max_tokens.
    expect(choice?.finish_reason).toBe('length')
    expect(first.usage.completion_tokens).toBe(24)
    expect(choice?.message.content.length).toBeGreaterThan(0)
    expect(first.usage.total_tokens).toBe(first.usage.prompt_tokens + first.usage.completion_tokens)
    // The chat template from the GGUF (ChatML) frames the prompt; its token count is the template's.
    const rendered =
      messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') +
      '<|im_start|>assistant\n'
    const { tokens } = await postJson<{ tokens: number[] }>('/extras/tokenize', { input: rendered })
    // /extras/tokenize prepends BOS; the chat path tokenizes the rendered template as is, without one.
    expect(first.usage.prompt_tokens).toBe(tokens.length - 1)
    expect(second.choices[0]?.message.content).toBe(choice?.message.content)
  })

  it('streams a chat completion as SSE ending in [DONE], with the same text as the non-streaming answer', async () => {
    const body = { model: server.model, messages, max_tokens: 24, temperature: 0, seed: 7 }
    const whole = await postJson<{ choices: { message: { content: string } }[] }>(
      '/v1/chat/completions',
      body,
    )
    const streamed = await post('/v1/chat/completions', {
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    })
    expect(streamed.status).toBe(200)
    expect(streamed.contentType).toContain('text/event-stream')
    const data = sseData(streamed.text)
    expect(data.at(-1)).toBe('[DONE]')
    const chunks = data.slice(0, -1).map(
      (d) =>
        JSON.parse(d) as {
          object: string
          choices: { delta: { role?: string; content?: string } }[]
          usage?: Usage | null
        },
    )
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true)
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe(whole.choices[0]?.message.content)
    // llama-cpp-python 0.3.36 ignores stream_options.include_usage: no chunk carries usage.
    expect(chunks.filter((c) => c.usage)).toEqual([])
  })

  it('returns prompt-token logprobs with echo on /v1/completions, aligned with generation logprobs', async () => {
    type Completion = {
      choices: {
        text: string
        logprobs: {
          tokens: string[]
          token_logprobs: (number | null)[]
          top_logprobs: (Record<string, number> | null)[]
        }
      }[]
      usage: Usage
    }
    const context = 'Question: What does a garden ask for?\nAnswer: patience'
    // The greedy next token after the context, and its log-probability, from plain generation.
    const generated = await postJson<Completion>('/v1/completions', {
      model: server.model,
      prompt: context,
      max_tokens: 1,
      temperature: 0,
      logprobs: 1,
    })
    const next = generated.choices[0]?.logprobs.tokens[0] ?? ''
    const nextLogprob = generated.choices[0]?.logprobs.token_logprobs[0] ?? 0
    expect(next.length).toBeGreaterThan(0)
    expect(nextLogprob).toBeLessThan(0)

    // Scoring context + next with echo must give that token the same log-probability: this is the
    // loglikelihood that multiple-choice scoring sums over a continuation.
    const prompt = context + next
    const ids = referenceTokenIds(prompt)
    expect(ids.slice(0, -1)).toEqual(referenceTokenIds(context))
    const scored = await postJson<Completion>('/v1/completions', {
      model: server.model,
      prompt,
      max_tokens: 1,
      temperature: 0,
      logprobs: 1,
      echo: true,
    })
    const choice = scored.choices[0]
    expect(choice?.text.startsWith(prompt)).toBe(true)
    expect(scored.usage.prompt_tokens).toBe(ids.length + 1) // + BOS, which the echo leaves out
    const lp = choice?.logprobs
    expect(lp?.tokens).toHaveLength(ids.length + 1) // prompt tokens, then the one generated token
    expect(lp?.tokens.slice(0, ids.length).join('')).toBe(prompt)
    expect(lp?.token_logprobs[0]).toBeNull()
    expect(lp?.token_logprobs[ids.length - 1]).toBeCloseTo(nextLogprob, 4)
    expect(lp?.top_logprobs[ids.length - 1]?.[next]).toBeCloseTo(nextLogprob, 4)
    for (const value of lp?.token_logprobs.slice(1) ?? []) expect(value).toBeLessThan(0)
  })
})
