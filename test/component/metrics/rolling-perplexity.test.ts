import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../../src/errors.js'
import { providerSchema } from '../../../src/eval/config-schema.js'
import {
  probeContextLength,
  probePrefixToken,
  resolveRollingSetup,
} from '../../../src/metrics/lm-eval/context-length.js'
import { corpusPerplexity } from '../../../src/metrics/lm-eval/perplexity.js'
import { rollingLoglikelihood } from '../../../src/metrics/lm-eval/rolling-loglikelihood.js'
import { ProviderError } from '../../../src/providers/provider-error.js'
import { createModelClient, type OpenAIClient } from '../../../src/providers/openai-client.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'

let sim: SimServer | undefined
const clients: OpenAIClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await sim?.close()
  sim = undefined
})

function client(url: string, model: string): OpenAIClient {
  const c = createModelClient(model, providerSchema.parse({ base_url: url, model }), { env: {} })
  clients.push(c)
  return c
}

const SENTENCES = [
  'The baker measured flour by hand, and the bread smelled wonderful.',
  'Rain fell on the old harbour while gulls argued over scraps.',
  'A quiet street, a lamp, a cat: nothing else moved at midnight.',
  'Numbers like 3.14 and 2,048 sit next to words such as naïve and Zürich.',
]
const doc = (n: number) => Array.from({ length: n }, (_, i) => SENTENCES[i % 4]).join(' ')

// The simulator scores each prompt token from (previous token, token), so a document scored in
// windows with one token of carried-over context must get the loglikelihood of the same document
// scored in one request: a window that drops, repeats or mis-aligns a token changes the sum.
describe('rolling loglikelihood against the simulator', () => {
  it('scores a document longer than the context in windows, equal to one long-context request', async () => {
    sim = await startSimServer({
      profile: { models: { small: { max_model_len: 48 }, big: { max_model_len: 8192 } } },
    })
    const small = client(sim.url, 'small')
    const big = client(sim.url, 'big')
    expect(await probeContextLength(sim.url, 'small')).toBe(48)
    expect(await probeContextLength(sim.url, 'big')).toBe(8192)
    // The simulator's tokenizer adds no BOS, so the prefix token comes from config.
    expect(await probePrefixToken(sim.url, 'small')).toBeNull()

    const text = doc(12)
    const tokens = (await small.tokenize(text)).length
    expect(tokens).toBeGreaterThan(150)
    const before = sim.stats.byPath['POST /v1/completions'] ?? 0
    const windowed = await rollingLoglikelihood(small, text, { prefixToken: 7, contextLength: 48 })
    expect(windowed.max_length).toBe(48)
    expect(windowed.tokens).toBe(tokens)
    // Prompts of 47 tokens: one of context, 46 new ones (max_seq_len).
    expect(windowed.windows).toBe(Math.ceil(tokens / 46))
    expect((sim.stats.byPath['POST /v1/completions'] ?? 0) - before).toBe(windowed.windows)
    expect(windowed.usage.completion_tokens).toBe(windowed.windows)

    const whole = await rollingLoglikelihood(big, text, { prefixToken: 7, contextLength: 8192 })
    expect(whole.windows).toBe(1)
    expect(whole.tokens).toBe(tokens)
    expect(windowed.ll).toBeLessThan(0)
    expect(Math.abs(windowed.ll - whole.ll)).toBeLessThan(1e-9)
  })

  it('aggregates documents as lm-eval does: summed loglikelihoods over summed words and bytes', async () => {
    sim = await startSimServer({ profile: { models: { small: { max_model_len: 32 } } } })
    const small = client(sim.url, 'small')
    const texts = [doc(5), SENTENCES[1]!, doc(9)]
    const docs = []
    for (const text of texts) {
      const r = await rollingLoglikelihood(small, text, { prefixToken: 7, contextLength: 32 })
      docs.push({ ll: r.ll, text })
    }
    const ll = docs[0]!.ll + docs[1]!.ll + docs[2]!.ll
    const words = texts.reduce((a, t) => a + t.split(/\s+/).length, 0)
    const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0)
    const p = corpusPerplexity(docs)
    expect(p.word_perplexity).toBe(Math.exp(-ll / words))
    expect(p.byte_perplexity).toBe(Math.exp(-ll / bytes))
    expect(p.bits_per_byte).toBe(-ll / bytes / Math.LN2)
    // Not the mean of per-document perplexities.
    const perDoc = docs.map((d, i) => Math.exp(-d.ll / texts[i]!.split(/\s+/).length))
    expect(p.word_perplexity).not.toBeCloseTo((perDoc[0]! + perDoc[1]! + perDoc[2]!) / 3, 6)
  })

  it('without the context cap, a window longer than the context is refused by the server', async () => {
    sim = await startSimServer({ profile: { models: { small: { max_model_len: 32 } } } })
    const small = client(sim.url, 'small')
    await expect(
      rollingLoglikelihood(small, doc(8), { prefixToken: 7, maxLength: 33 }),
    ).rejects.toBeInstanceOf(ProviderError)
    const fits = await rollingLoglikelihood(small, doc(8), { prefixToken: 7, maxLength: 32 })
    expect(fits.windows).toBeGreaterThan(1)
  })
})

describe('probing a server for rolling perplexity', () => {
  let fake: Server | undefined
  afterEach(async () => {
    await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()))
    fake = undefined
  })

  /** A llama.cpp-style server: no max_model_len on /v1/models, n_ctx on /props, BOS from /tokenize. */
  async function llamaCppLike(bos: number[]): Promise<{ url: string; seen: unknown[] }> {
    const seen: unknown[] = []
    fake = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        res.setHeader('content-type', 'application/json')
        if (req.url === '/v1/models') return res.end(JSON.stringify({ data: [{ id: 'm' }] }))
        if (req.url === '/props')
          return res.end(JSON.stringify({ default_generation_settings: { n_ctx: 4096 } }))
        if (req.url === '/tokenize' && req.method === 'POST') {
          seen.push(JSON.parse(body))
          return res.end(JSON.stringify({ tokens: bos }))
        }
        res.statusCode = 404
        res.end('{}')
      })
    })
    await new Promise<void>((resolve) => fake!.listen(0, '127.0.0.1', resolve))
    return { url: `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`, seen }
  }

  it('reads n_ctx from /props and BOS from /tokenize with special tokens on', async () => {
    const { url, seen } = await llamaCppLike([1])
    expect(await resolveRollingSetup(url, 'm', {})).toEqual({ contextLength: 4096, prefixToken: 1 })
    expect(seen[0]).toMatchObject({ content: '', add_special: true, add_special_tokens: true })
    expect(await resolveRollingSetup(url, 'm', { contextLength: 512, prefixTokenId: 2 })).toEqual({
      contextLength: 512,
      prefixToken: 2,
    })
  })

  it('asks for prefix_token_id when the tokenizer adds no BOS', async () => {
    const { url } = await llamaCppLike([])
    await expect(resolveRollingSetup(url, 'm', {})).rejects.toThrow(ConfigurationError)
    await expect(resolveRollingSetup(url, 'm', {})).rejects.toThrow(/prefix_token_id/)
    expect(await resolveRollingSetup(url, 'm', { prefixTokenId: 0 })).toEqual({
      contextLength: 4096,
      prefixToken: 0,
    })
  })
})
