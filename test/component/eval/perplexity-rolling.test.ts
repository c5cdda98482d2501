import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ResultRow } from '../../../src/contracts/results.js'
import { ConfigurationError } from '../../../src/errors.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import { evalCli, readOut, writeConfig } from './helpers.js'

let sim: SimServer | undefined
let proxy: Server | undefined
afterEach(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()))
  proxy = undefined
  await sim?.close()
  sim = undefined
})

const SENTENCES = [
  'The baker measured flour by hand, and the bread smelled wonderful.',
  'Rain fell on the old harbour while gulls argued over scraps.',
  'A quiet street, a lamp, a cat: nothing else moved at midnight.',
  'Numbers like 3.14 and 2,048 sit next to words such as naïve and Zürich.',
]
const doc = (n: number) => Array.from({ length: n }, (_, i) => SENTENCES[i % 4]).join(' ')
const LONG = doc(8)
const SHORT = SENTENCES[1]!

/** The simulator behind a proxy that has no /tokenize, like a server that cannot tokenize. */
async function withoutTokenize(target: string): Promise<string> {
  const origin = new URL(target).origin
  proxy = createServer((req, res) => {
    if (req.url?.startsWith('/tokenize') || req.url?.startsWith('/detokenize')) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"detail":"Not Found"}')
      return
    }
    const up = httpRequest(`${origin}${req.url ?? '/'}`, {
      method: req.method,
      headers: req.headers,
    })
    up.on('response', (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    })
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`
}

const row = (rows: ResultRow[], suite: string, provider: string, text: string) => {
  const r = rows.find(
    (x) =>
      x.suite === suite &&
      x.provider === provider &&
      (x.input as { document?: string }).document === text,
  )
  expect(r, `${suite}/${provider}`).toBeDefined()
  return r as ResultRow & { method?: string; input: Record<string, unknown> }
}
const num = (r: ResultRow, m: string) => r.metrics[m] as number

describe('llmops eval perplexity suites: rolling windows', () => {
  it('scores a document longer than the context in windows, equal to one window on a long-context model', async () => {
    sim = await startSimServer({
      profile: { models: { small: { max_model_len: 48 }, big: { max_model_len: 8192 } } },
    })
    // The simulator's tokenizer adds no BOS, so the prefix token comes from config.
    const dir = await writeConfig({
      providers: {
        small: { base_url: sim.url, model: 'small', prefix_token_id: 7 },
        big: { base_url: sim.url, model: 'big', prefix_token_id: 7 },
      },
      suites: [
        { name: 'ppl', task: 'perplexity', cases: [{ text: LONG }, { text: SHORT }] },
        {
          name: 'ppl-24',
          task: 'perplexity',
          max_length: 24,
          providers: ['big'],
          cases: [{ text: LONG }],
        },
      ],
    })
    const { result, lines } = await evalCli(dir, ['--out', 'out', '--no-cache'])
    expect(result.exitCode).toBe(0)
    const { rows, summary } = await readOut(path.join(dir, 'out'))
    expect(rows.map((r) => r.error)).toEqual([null, null, null, null, null])
    expect(lines).toContain(
      'eval: small perplexity: rolling token windows (context 48, prefix token 7)',
    )

    const small = row(rows, 'ppl', 'small', LONG)
    const big = row(rows, 'ppl', 'big', LONG)
    const big24 = row(rows, 'ppl-24', 'big', LONG)
    expect(small.method).toBe('rolling')
    expect(big.method).toBe('rolling')
    // max_length 2048 capped at the 48-token context: prompts of 47 tokens, 46 of them new.
    expect(small.input.max_length).toBe(48)
    expect(big.input.max_length).toBe(2048)
    expect(big24.input.max_length).toBe(24)
    expect(num(small, 'tokens')).toBeGreaterThan(100)
    expect(num(small, 'windows')).toBe(Math.ceil(num(small, 'tokens') / 46))
    expect(num(big, 'windows')).toBe(1)
    expect(num(big24, 'windows')).toBe(Math.ceil(num(big, 'tokens') / 22))
    expect(num(big, 'tokens')).toBe(num(small, 'tokens'))
    expect(num(small, 'loglikelihood')).toBeLessThan(0)
    expect(Math.abs(num(small, 'loglikelihood') - num(big, 'loglikelihood'))).toBeLessThan(1e-9)
    expect(Math.abs(num(big24, 'loglikelihood') - num(big, 'loglikelihood'))).toBeLessThan(1e-9)
    expect(num(small, 'words')).toBe(LONG.split(/\s+/).length)
    expect(num(small, 'bytes')).toBe(Buffer.byteLength(LONG))
    expect(small.usage.completion_tokens).toBe(num(small, 'windows'))

    // Corpus numbers are weighted by words and bytes over both documents (lm-eval's aggregation).
    const short = row(rows, 'ppl', 'small', SHORT)
    const ll = num(small, 'loglikelihood') + num(short, 'loglikelihood')
    const words = LONG.split(/\s+/).length + SHORT.split(/\s+/).length
    const bytes = Buffer.byteLength(LONG) + Buffer.byteLength(SHORT)
    const group = summary.suites.ppl!.providers.small!
    expect(group.corpus!.word_perplexity).toBeCloseTo(Math.exp(-ll / words), 12)
    expect(group.corpus!.bits_per_byte).toBeCloseTo(-ll / bytes / Math.LN2, 12)
    expect(summary.suites.ppl!.providers.big!.corpus!.word_perplexity).toBeCloseTo(
      group.corpus!.word_perplexity!,
      9,
    )
    expect(group.perplexity_method).toBe('rolling')
    expect(summary.warnings).toBeUndefined()
    expect(summary.provenance.metric_definitions).toMatchObject({
      'ppl/loglikelihood': 'rolling:2048',
      'ppl-24/loglikelihood': 'rolling:24',
    })
  })

  it('asks for prefix_token_id (exit 2) when the tokenizer adds no BOS, before scoring any document', async () => {
    sim = await startSimServer({ profile: { models: { m: {} } } })
    const dir = await writeConfig({
      providers: { candidate: { base_url: sim.url, model: 'm' } },
      suites: [{ name: 'ppl', task: 'perplexity', cases: [{ text: SHORT }] }],
    })
    const error = await evalCli(dir, ['--out', 'out', '--no-cache']).then(
      () => undefined,
      (e: unknown) => e as ConfigurationError,
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error!.exitCode).toBe(2)
    expect(error!.message).toMatch(/^providers\.candidate: .*set prefix_token_id/)
    // Only the server probe's one-token echo request reached /v1/completions.
    expect(sim.stats.byPath['POST /v1/completions']).toBe(1)
  })

  it('rejects a max_length below 3 and a negative prefix_token_id in the config', async () => {
    const dir = await writeConfig({
      providers: {
        candidate: { base_url: 'http://127.0.0.1:9/v1', model: 'm', prefix_token_id: -1 },
      },
      suites: [{ name: 'ppl', task: 'perplexity', max_length: 2, cases: [{ text: SHORT }] }],
    })
    const error = await evalCli(dir, ['--out', 'out']).then(
      () => undefined,
      (e: unknown) => e as ConfigurationError,
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error!.exitCode).toBe(2)
    expect(error!.problems).toEqual([
      expect.stringMatching(/providers\.candidate\.prefix_token_id: must be >= 0, got number -1$/),
      expect.stringMatching(/suites\[0\]\.max_length: must be >= 3, got number 2$/),
    ])
  })
})

describe('llmops eval perplexity suites: the single-request fallback', () => {
  it('labels cases scored in one request when the server cannot tokenize, and warns when methods differ', async () => {
    sim = await startSimServer({ profile: { models: { big: { max_model_len: 8192 } } } })
    const plain = await withoutTokenize(sim.url)
    const dir = await writeConfig({
      providers: {
        baseline: { base_url: plain, model: 'big', prefix_token_id: 7 },
        candidate: { base_url: sim.url, model: 'big', prefix_token_id: 7 },
      },
      suites: [{ name: 'ppl', task: 'perplexity', cases: [{ text: LONG }, { text: SHORT }] }],
    })
    const { result, lines } = await evalCli(dir, ['--out', 'out', '--no-cache'])
    expect(result.exitCode).toBe(0)
    const { rows, summary } = await readOut(path.join(dir, 'out'))
    expect(rows.map((r) => r.error)).toEqual([null, null, null, null])
    const single = row(rows, 'ppl', 'baseline', LONG)
    const rolling = row(rows, 'ppl', 'candidate', LONG)
    expect(single.method).toBe('single')
    expect(rolling.method).toBe('rolling')
    expect(single.metrics.windows).toBeUndefined()
    // The fallback leaves the first token unscored: one token fewer, a different loglikelihood.
    expect(num(single, 'tokens')).toBe(num(rolling, 'tokens') - 1)
    expect(num(single, 'loglikelihood')).not.toBeCloseTo(num(rolling, 'loglikelihood'), 6)
    expect(
      lines.some(
        (l) =>
          l.startsWith('warning: eval: baseline perplexity: FALLBACK to one echo request') &&
          l.includes('no /tokenize endpoint'),
      ),
    ).toBe(true)

    expect(summary.suites.ppl!.providers.baseline!.perplexity_method).toBe('single')
    expect(summary.suites.ppl!.providers.candidate!.perplexity_method).toBe('rolling')
    const warning =
      'ppl: perplexity scored by different methods across providers (baseline: single, candidate: rolling); their loglikelihoods and perplexities are not comparable'
    expect(summary.warnings).toEqual([warning])
    expect(lines).toContain(`warning: eval: ${warning}`)
    expect(summary.provenance.metric_definitions?.['ppl/loglikelihood']).toBe(
      'mixed: baseline=single, candidate=rolling:2048',
    )
  })
})
