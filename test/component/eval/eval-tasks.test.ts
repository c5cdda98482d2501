import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../../src/errors.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import { evalCli, exampleSuites, readOut, writeConfig } from './helpers.js'

let sim: SimServer | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('llmops eval tasks and judges', () => {
  it('streams answers over SSE with the same outputs as non-streamed requests', async () => {
    sim = await startSimServer({
      profile: {
        models: { m: { rules: [{ match: 'capital of France', reply: 'Paris is the capital.' }] } },
      },
    })
    const [qa] = exampleSuites()
    const dir = await writeConfig({
      providers: { candidate: { base_url: sim.url, model: 'm' } },
      suites: [
        { ...qa, name: 'plain' },
        { ...qa, name: 'streamed', stream: true },
      ],
    })
    const { result } = await evalCli(dir, ['--out', 'out', '--no-cache'])
    expect(result.exitCode).toBe(0)
    const { rows } = await readOut(path.join(dir, 'out'))
    const out = (suite: string) =>
      rows
        .filter((r) => r.suite === suite)
        .map((r) => `${r.case}:${r.output}`)
        .sort()
    expect(out('streamed')).toEqual(out('plain'))
    expect(out('streamed')).toContain('qa-01:Paris is the capital.')
    expect(sim.stats.byPath['POST /v1/chat/completions']).toBe(20)
  })

  it('scores perplexity suites from echoed logprobs, with corpus word and byte perplexity', async () => {
    sim = await startSimServer({ profile: { models: { m: {} } } })
    const dir = await writeConfig({
      // The simulator's tokenizer adds no BOS: rolling windows need the prefix token from config.
      providers: { candidate: { base_url: sim.url, model: 'm', prefix_token_id: 0 } },
      suites: [
        {
          name: 'ppl',
          task: 'perplexity',
          cases: [{ text: 'The cat sat on the mat.' }, { text: 'A dog ran in the park today.' }],
        },
      ],
    })
    const { result } = await evalCli(dir, ['--out', 'out', '--no-cache'])
    expect(result.exitCode).toBe(0)
    const { rows, summary } = await readOut(path.join(dir, 'out'))
    expect(rows.map((r) => r.error)).toEqual([null, null])
    const ll = rows.reduce((a, r) => a + (r.metrics.loglikelihood as number), 0)
    expect(ll).toBeLessThan(0)
    const corpus = summary.suites.ppl!.providers.candidate!.corpus!
    expect(corpus.word_perplexity).toBeCloseTo(Math.exp(-ll / (6 + 7)), 9)
    expect(corpus.bits_per_byte).toBeCloseTo(-ll / (23 + 28) / Math.LN2, 9)
  })

  it('grades answers with the judge provider and records its scores', async () => {
    sim = await startSimServer({
      profile: {
        models: {
          m: { rules: [{ match: '.', reply: 'Paris' }] },
          grader: { default_reply: 'The answer is correct and concise. [RESULT] 4' },
        },
      },
    })
    const dir = await writeConfig({
      providers: {
        candidate: { base_url: sim.url, model: 'm' },
        judge: { base_url: sim.url, model: 'grader' },
      },
      suites: [
        {
          name: 'judged',
          prompt: '{{ q }}',
          cases: [{ q: 'Capital of France?' }, { q: 'Largest city in France?' }],
          metrics: [{ judge: { rubric: 'helpfulness' } }],
        },
      ],
    })
    const { result } = await evalCli(dir, ['--out', 'out', '--no-cache'])
    expect(result.exitCode).toBe(0)
    const { rows, summary } = await readOut(path.join(dir, 'out'))
    // The judge provider is not evaluated itself; it only grades.
    expect(rows.map((r) => r.provider)).toEqual(['candidate', 'candidate'])
    expect(rows.map((r) => r.metrics.judge)).toEqual([4, 4])
    expect(summary.suites.judged!.providers.candidate!.metrics.judge).toMatchObject({
      n: 2,
      mean: 4,
    })
    expect(summary.provenance.servers.judge).toMatchObject({ name: 'llmops-sim' })
  })

  it('fails with exit 2 before any request when a suite names an unknown metric', async () => {
    sim = await startSimServer({ profile: { models: { m: {} } } })
    const dir = await writeConfig({
      providers: { candidate: { base_url: sim.url, model: 'm' } },
      suites: [{ name: 's', prompt: '{{ q }}', cases: [{ q: 'x' }], metrics: ['rougel'] }],
    })
    const error = await evalCli(dir, ['--out', 'out']).then(
      () => undefined,
      (e: unknown) => e as ConfigurationError,
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error!.exitCode).toBe(2)
    expect(error!.message).toContain("Did you mean 'rougeL'")
    expect(sim.stats.requests).toBe(0)
  })
})
