/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- the server's JSON answers are inspected loosely, as a client would */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import { parseSseData } from '../../../src/sim/sse.js'
import { encode } from '../../../src/sim/tokenizer.js'

let sim: SimServer

beforeAll(async () => {
  sim = await startSimServer({
    profile: {
      models: {
        base: {
          rules: [
            { match: 'capital of France', reply: 'Paris is the capital.' },
            { match: 'France', prefer: 'Paris' },
            { match: 'think', reply: 'Done.', reasoning: 'Hmm let me see' },
          ],
          timing: { ttft_ms: 5, itl_ms: 1, tokens_per_chunk: 2, embed_send_time: true },
        },
        regressed: {
          rules: [{ match: 'France', prefer: 'Paris' }],
          degrade: { rate: 1, mode: 'wrong' },
        },
      },
    },
  })
})
afterAll(() => sim.close())

async function post(path: string, body: unknown) {
  const res = await fetch(`${sim.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, headers: res.headers, text: await res.text() }
}
const chunks = (text: string) =>
  parseSseData(text)
    .filter((d) => d !== '[DONE]')
    .map((d) => JSON.parse(d) as Record<string, any>)

describe('simulated OpenAI server', () => {
  it('says it is a simulator and lists its models', async () => {
    const version = (await (await fetch(`${sim.origin}/version`)).json()) as { name: string }
    expect(version.name).toBe('llmops-sim')
    expect(sim.url).toBe(`${sim.origin}/v1`)
    const models = (await (await fetch(`${sim.url}/models`)).json()) as { data: { id: string }[] }
    expect(models.data.map((m) => m.id)).toEqual(['base', 'regressed'])
  })

  it('answers chat without streaming, with usage and logprobs', async () => {
    const r = await post('/v1/chat/completions', {
      model: 'base',
      messages: [{ role: 'user', content: 'capital of France?' }],
      logprobs: true,
      top_logprobs: 3,
    })
    const body = JSON.parse(r.text)
    expect(body.choices[0].message).toEqual({ role: 'assistant', content: 'Paris is the capital.' })
    expect(body.usage.completion_tokens).toBe(5)
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 5)
    expect(body.choices[0].logprobs.content.map((c: { token: string }) => c.token).join('')).toBe(
      'Paris is the capital.',
    )
    expect(body.choices[0].logprobs.content[0].top_logprobs).toHaveLength(3)
  })

  it('streams chat: role-only first chunk, multi-token chunks, final usage chunk, [DONE]', async () => {
    const r = await post('/v1/chat/completions', {
      model: 'base',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'capital of France?' }],
    })
    expect(r.headers.get('content-type')).toMatch(/text\/event-stream/)
    expect(r.text.endsWith('data: [DONE]\n\n')).toBe(true)
    const cs = chunks(r.text)
    expect(cs[0]!.choices[0].delta).toEqual({ role: 'assistant', content: '' })
    const content = cs.slice(1, -1).map((c) => c.choices[0].delta.content as string)
    expect(content).toEqual(['Paris is', ' the capital', '.'])
    expect(cs.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 5 } })
    const sent = cs.map((c) => BigInt(c.sim_sent_ns as string))
    expect(sent.every((t, i) => i === 0 || t >= sent[i - 1]!)).toBe(true)
  })

  it('puts cumulative usage on every chunk with continuous_usage_stats', async () => {
    const r = await post('/v1/chat/completions', {
      model: 'base',
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
      messages: [{ role: 'user', content: 'capital of France?' }],
    })
    expect(chunks(r.text).map((c) => c.usage.completion_tokens)).toEqual([0, 2, 4, 5, 5])
  })

  it('streams reasoning deltas before content', async () => {
    const r = await post('/v1/chat/completions', {
      model: 'base',
      stream: true,
      messages: [{ role: 'user', content: 'think' }],
    })
    const deltas = chunks(r.text).map((c) => c.choices[0].delta)
    expect(deltas[1]).toEqual({ reasoning_content: 'Hmm let' })
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('Done.')
  })

  it('echoes prompt logprobs in the legacy shape, for strings and token ids', async () => {
    const prompt = 'Q: capital of France?\nA: Paris'
    for (const p of [prompt, encode(prompt)]) {
      const r = await post('/v1/completions', {
        model: 'base',
        prompt: p,
        echo: true,
        logprobs: 1,
        max_tokens: 0,
      })
      const lp = JSON.parse(r.text).choices[0].logprobs
      expect(lp.tokens.join('')).toBe(prompt)
      expect(lp.token_logprobs[0]).toBeNull()
      expect(lp.top_logprobs[0]).toBeNull()
      expect(lp.text_offset.slice(0, 3)).toEqual([0, 1, 2])
      expect(lp.token_logprobs.at(-1)).toBe(-0.05)
    }
    const bad = await post('/v1/completions', {
      model: 'regressed',
      prompt,
      echo: true,
      logprobs: 1,
      max_tokens: 0,
    })
    expect(JSON.parse(bad.text).choices[0].logprobs.token_logprobs.at(-1)).toBe(-8)
  })

  it('streams completions with n choices and fixed output length', async () => {
    const r = await post('/v1/completions', {
      model: 'base',
      prompt: 'hello',
      stream: true,
      n: 2,
      max_tokens: 9,
      ignore_eos: true,
      stream_options: { include_usage: true },
    })
    const cs = chunks(r.text)
    const texts = [0, 1].map((i) =>
      cs
        .filter((c) => c.choices[0]?.index === i)
        .map((c) => c.choices[0].text as string)
        .join(''),
    )
    expect(texts.every((t) => t.startsWith('You said: hello'))).toBe(true)
    expect(cs.at(-1)!.usage.completion_tokens).toBe(18)
  })

  it('tokenizes and detokenizes like vLLM', async () => {
    const t = JSON.parse(
      (await post('/tokenize', { model: 'base', prompt: 'Hello, world!', return_token_strs: true }))
        .text,
    )
    expect(t.count).toBe(4)
    expect(t.token_strs).toEqual(['Hello', ',', ' world', '!'])
    const d = JSON.parse((await post('/detokenize', { model: 'base', tokens: t.tokens })).text)
    expect(d.prompt).toBe('Hello, world!')
  })

  it('rejects unknown models and bad bodies with OpenAI error shapes', async () => {
    const r = await post('/v1/chat/completions', {
      model: 'nope',
      messages: [{ role: 'user', content: 'x' }],
    })
    expect(r.status).toBe(404)
    expect(JSON.parse(r.text).error.message).toMatch(/nope/)
    const bad = await post('/v1/chat/completions', { model: 'base', messages: [], n: 'x' })
    expect(bad.status).toBe(400)
  })
})

describe('simulated faults', () => {
  const chat = {
    model: 'base',
    stream: true,
    messages: [{ role: 'user', content: 'capital of France?' }],
  }

  it('answers 429 with Retry-After, then serves normally', async () => {
    sim.inject({ kind: '429', retry_after_s: 2 })
    const r = await post('/v1/chat/completions', chat)
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('2')
    expect((await post('/v1/chat/completions', chat)).status).toBe(200)
  })

  it.each(['500', '503'] as const)('answers %s', async (kind) => {
    sim.inject({ kind })
    expect((await post('/v1/chat/completions', chat)).status).toBe(Number(kind))
  })

  it('truncates a stream without [DONE]', async () => {
    sim.inject({ kind: 'truncate', after_chunks: 2 })
    const r = await post('/v1/chat/completions', chat)
    expect(r.text).not.toContain('[DONE]')
    expect(chunks(r.text)).toHaveLength(2)
  })

  it('sends a malformed event', async () => {
    sim.inject({ kind: 'malformed', after_chunks: 1 })
    const r = await post('/v1/chat/completions', chat)
    expect(() => parseSseData(r.text).map((d) => d === '[DONE]' || JSON.parse(d))).toThrow(
      SyntaxError,
    )
  })

  it('resets the connection', async () => {
    sim.inject({ kind: 'reset', after_chunks: 1 })
    await expect(post('/v1/chat/completions', chat)).rejects.toThrow()
  })

  it('stalls until the client gives up', async () => {
    sim.inject({ kind: 'stall', after_chunks: 1 })
    const controller = new AbortController()
    const res = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(chat),
      signal: controller.signal,
    })
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toContain('"role":"assistant"')
    const next = Promise.race([
      reader.read().then(() => 'data'),
      new Promise((r) => setTimeout(() => r('stalled'), 300)),
    ])
    expect(await next).toBe('stalled')
    controller.abort()
    expect(sim.stats.faults.stall).toBe(1)
  })
})
