import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { providerSchema } from '../../../src/eval/config-schema.js'
import { probeContextLength } from '../../../src/metrics/lm-eval/context-length.js'
import { corpusPerplexity } from '../../../src/metrics/lm-eval/perplexity.js'
import {
  rollingLoglikelihood,
  type RollingTokenizer,
} from '../../../src/metrics/lm-eval/rolling-loglikelihood.js'
import { rollingRequests } from '../../../src/metrics/lm-eval/rolling-windows.js'
import { createModelClient, type OpenAIClient } from '../../../src/providers/openai-client.js'
import { repoRoot, startInferenceServer, venvBin, type InferenceServer } from '../harness/index.js'

const N_CTX = 64
let server: InferenceServer
let client: OpenAIClient

async function postJson<T>(route: string, body: unknown): Promise<T> {
  const res = await request(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    // No keep-alive: the server closes idle connections while lm-eval runs.
    reset: true,
  })
  const text = await res.body.text()
  if (res.statusCode !== 200) throw new Error(`${route}: ${res.statusCode} ${text}`)
  return JSON.parse(text) as T
}

beforeAll(async () => {
  server = await startInferenceServer({ contextSize: N_CTX })
  client = createModelClient(
    'tiny',
    providerSchema.parse({ base_url: server.baseUrl, model: server.model }),
    { env: {} },
  )
})

afterAll(async () => {
  await client?.close()
  await server?.stop()
})

const TEXT = Array.from(
  { length: 8 },
  (_, i) =>
    `Day ${i + 1}: the baker measured flour by hand, and the bread smelled wonderful while rain fell on the harbour.`,
).join(' ')

describe('rolling loglikelihood on the real llama.cpp server (llama-cpp-python, n_ctx 64)', () => {
  // llama-cpp-python takes text prompts only and tokenizes on /extras/tokenize, which prepends BOS.
  let bos: number
  const encode = async (text: string) => {
    const { tokens } = await postJson<{ tokens: number[] }>('/extras/tokenize', { input: text })
    return tokens.slice(1)
  }
  const detokenize = async (ids: number[]) =>
    (await postJson<{ text: string }>('/extras/detokenize', { tokens: ids })).text
  const tokenizer: RollingTokenizer = { encode, decode: detokenize }

  beforeAll(async () => {
    const { tokens } = await postJson<{ tokens: number[] }>('/extras/tokenize', { input: '' })
    bos = tokens[0] ?? -1
  })

  it('cannot score the document in one request: it is longer than the context', async () => {
    const tokens = await tokenizer.encode(TEXT, {})
    expect(tokens.length).toBeGreaterThan(3 * N_CTX)
    await expect(
      client.complete({ prompt: TEXT, max_tokens: 1, logprobs: 1, echo: true, temperature: 0 }),
    ).rejects.toThrow()
  })

  it('scores every window of the document within the context', async () => {
    // Neither /v1/models nor /props tells llama-cpp-python's context: it comes from config.
    expect(await probeContextLength(server.baseUrl, server.model)).toBeNull()
    const tokens = await tokenizer.encode(TEXT, {})
    // The server adds BOS to every text prompt, so one context slot is spoken for.
    const r = await rollingLoglikelihood(
      client,
      TEXT,
      { prefixToken: bos, contextLength: N_CTX - 1, promptFormat: 'text', tokenizer },
      {},
    )
    expect(r.tokens).toBe(tokens.length)
    expect(r.max_length).toBe(N_CTX - 1)
    expect(r.windows).toBe(Math.ceil(tokens.length / (N_CTX - 3)))
    expect(r.usage.completion_tokens).toBe(r.windows)
    // Prompt tokens the server counted: each window's ids (the first one's prefix token is the BOS
    // the server adds) plus the server's BOS before each later window, so every decoded window was
    // read back as exactly as many tokens as it was cut to.
    const requests = rollingRequests(tokens, bos, r.max_length)
    const sent = requests.reduce((a, q) => a + q.tokens.length, 0)
    expect(r.usage.prompt_tokens).toBe(sent + requests.length - 1)
    expect(Number.isFinite(r.ll)).toBe(true)
    expect(r.ll).toBeLessThan(0)
  })

  it('gives the loglikelihoods and perplexities of lm-eval loglikelihood_rolling on the same server', async () => {
    // lm-eval's local-completions with the same vocabulary (tokenizer.json) and text prompts: it
    // decodes each window with batch_decode, which writes the prefix token (BOS) as text.
    const docs = [TEXT, 'A short one.', TEXT.slice(0, 300) + ' The end.']
    const maxLength = N_CTX - 1
    const py = spawnSync(
      venvBin('python'),
      [path.join(repoRoot, 'fixtures/metrics/lm_eval_rolling.py')],
      {
        input: JSON.stringify({
          base_url: `${server.baseUrl}/completions`,
          model: server.model,
          tokenizer: server.tokenizerPath,
          bos_token: '<|endoftext|>',
          max_length: maxLength,
          docs,
        }),
        encoding: 'utf8',
        env: { ...process.env, TOKENIZERS_PARALLELISM: 'false', HF_HUB_OFFLINE: '1' },
      },
    )
    expect(py.status, py.stderr).toBe(0)
    const ref = JSON.parse(py.stdout.trim().split('\n').at(-1) ?? '{}') as {
      lls: number[]
      prefix_token_id: number
      word_perplexity: number
      byte_perplexity: number
      bits_per_byte: number
    }
    expect(ref.prefix_token_id).toBe(bos)
    const asLmEval: RollingTokenizer = {
      encode,
      decode: async (ids) =>
        ids[0] === bos ? '<|endoftext|>' + (await detokenize(ids.slice(1))) : detokenize(ids),
    }
    const ours = []
    for (const text of docs) {
      const r = await rollingLoglikelihood(client, text, {
        prefixToken: bos,
        maxLength,
        contextLength: N_CTX - 1,
        promptFormat: 'text',
        tokenizer: asLmEval,
      })
      ours.push({ ll: r.ll, text })
    }
    expect(ours.map((d) => d.ll)).toEqual(ref.lls)
    // Same sums and divisions; exp may differ from CPython's libm in the last bit.
    const p = corpusPerplexity(ours)
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b)
    expect(rel(p.word_perplexity, ref.word_perplexity)).toBeLessThan(1e-12)
    expect(rel(p.byte_perplexity, ref.byte_perplexity)).toBeLessThan(1e-12)
    expect(p.bits_per_byte).toBe(ref.bits_per_byte)
  })
})
