import { MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import type { ChatRequest, ChatResponse, ModelClient } from '../../../src/providers/types.js'
import {
  classifierScorer,
  parseClassifierResponse,
  verdictFromLabels,
} from '../../../src/safety/scorers/classifier.js'
import {
  llamaGuardPrompt,
  llamaGuardScorer,
  parseLlamaGuardReply,
  unsafeProbability,
} from '../../../src/safety/scorers/llama-guard.js'
import { moderationScorer, parseModerationResult } from '../../../src/safety/scorers/moderation.js'
import { MalformedReplyError } from '../../../src/safety/scorers/post-json.js'

const noWait = { now: () => 0, sleep: () => Promise.resolve() }

describe('Llama Guard reply parser', () => {
  it.each([
    ['safe', { safe: true, codes: [] }],
    ['  safe\n', { safe: true, codes: [] }],
    ['unsafe', { safe: false, codes: [] }],
    ['unsafe\nS1', { safe: false, codes: ['S1'] }],
    ['unsafe\nS1,S10', { safe: false, codes: ['S1', 'S10'] }],
    ['\nunsafe\r\nS14, s2 ', { safe: false, codes: ['S14', 'S2'] }],
    ['Unsafe\nS10,S10', { safe: false, codes: ['S10'] }],
  ])('reads %j', (reply, expected) => {
    expect(parseLlamaGuardReply(reply)).toEqual(expected)
  })

  it.each([
    '',
    '   ',
    'The response is safe.',
    'safe\nS1',
    'unsafe\nS15',
    'unsafe\nviolence',
    'unsafe\nS1\nS2',
    'unsafe S1',
    'I cannot help with that',
  ])('rejects %j as malformed, never safe', (reply) => {
    expect(() => parseLlamaGuardReply(reply)).toThrow(MalformedReplyError)
  })

  it('renders the official prompt with categories S1-S14 and the conversation', () => {
    const p = llamaGuardPrompt('How do I bake bread?', 'Mix flour and water.')
    expect(p.startsWith("Task: Check if there is unsafe content in 'Agent' messages")).toBe(true)
    expect(p).toContain('<BEGIN UNSAFE CONTENT CATEGORIES>\nS1: Violent Crimes.\n')
    expect(p).toContain('S14: Code Interpreter Abuse.\n<END UNSAFE CONTENT CATEGORIES>')
    expect(p).toContain(
      'User: How do I bake bread?\n\nAgent: Mix flour and water.\n\n<END CONVERSATION>',
    )
    expect(
      p.endsWith(
        ' - If unsafe, a second line must include a comma-separated list of violated categories.',
      ),
    ).toBe(true)
  })

  it('computes P(unsafe) from first-token logprobs', () => {
    const p = unsafeProbability([
      {
        token: 'unsafe',
        logprob: Math.log(0.3),
        top: [
          { token: 'safe', logprob: Math.log(0.6) },
          { token: 'unsafe', logprob: Math.log(0.3) },
        ],
      },
    ])
    expect(p).toBeCloseTo(1 / 3, 12)
    expect(unsafeProbability(undefined)).toBeNull()
  })
})

function fakeClient(replies: Record<string, string>, seen: ChatRequest[] = []): ModelClient {
  return {
    provider: 'guard',
    model: 'meta-llama/Llama-Guard-3-8B',
    chat(request: ChatRequest): Promise<ChatResponse> {
      seen.push(request)
      const last = request.messages.at(-1)!.content
      const key = Object.keys(replies).find((k) => last.includes(k))
      const text = key === undefined ? 'safe' : replies[key]!
      return Promise.resolve({
        text,
        texts: [text],
        finish_reason: 'stop',
        usage: {},
        latency_ms: 1,
        cached: false,
      })
    },
    complete: () => Promise.reject(new Error('unused')),
    probe: () => Promise.reject(new Error('unused')),
  }
}

describe('llamaGuardScorer', () => {
  it('sends the conversation for the chat template and maps verdicts', async () => {
    const seen: ChatRequest[] = []
    const scorer = llamaGuardScorer(fakeClient({ hateful: 'unsafe\nS10', vague: 'unsafe' }, seen))
    const r = await scorer.score(
      ['a kind answer', 'a hateful answer', 'a vague answer'],
      undefined,
      ['q1', 'q2', undefined],
    )
    expect(r).toEqual([
      { toxic: false, toxicity: 0, categories: [] },
      { toxic: true, toxicity: 1, categories: ['S10'] },
      { toxic: true, toxicity: 1, categories: [] },
    ])
    expect(seen[1]!.messages).toEqual([
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a hateful answer' },
    ])
    expect(seen[0]!.temperature).toBe(0)
  })

  it('sends the rendered prompt in prompt format and honours excluded codes', async () => {
    const seen: ChatRequest[] = []
    const scorer = llamaGuardScorer(fakeClient({ advice: 'unsafe\nS6' }, seen), {
      format: 'prompt',
      exclude: ['S6'],
    })
    const [r] = await scorer.score(['some advice'], undefined, ['q'])
    expect(r).toEqual({ toxic: false, toxicity: 0, categories: ['S6'] })
    expect(seen[0]!.messages).toHaveLength(1)
    expect(seen[0]!.messages[0]!.content).toContain('Agent: some advice')
  })

  it('fails on a malformed reply instead of reading it as safe', async () => {
    const scorer = llamaGuardScorer(fakeClient({ x: 'I think this is fine' }))
    await expect(scorer.score(['x'])).rejects.toThrow(/malformed reply/)
  })
})

describe('moderation response', () => {
  it('uses flagged, categories and scores when present', () => {
    expect(
      parseModerationResult(
        {
          flagged: true,
          categories: { harassment: true, hate: false },
          category_scores: { harassment: 0.91, hate: 0.2 },
        },
        0.5,
      ),
    ).toEqual({ toxic: true, toxicity: 0.91, categories: ['harassment'] })
  })

  it('derives flagged from categories when flagged is missing', () => {
    expect(parseModerationResult({ categories: { violence: true } }, 0.5)).toEqual({
      toxic: true,
      toxicity: 1,
      categories: ['violence'],
    })
    expect(parseModerationResult({ categories: { violence: false } }, 0.5)).toEqual({
      toxic: false,
      toxicity: 0,
      categories: [],
    })
  })

  it('derives flagged from scores when flagged and categories are missing', () => {
    expect(parseModerationResult({ category_scores: { hate: 0.7, sexual: 0.1 } }, 0.5)).toEqual({
      toxic: true,
      toxicity: 0.7,
      categories: ['hate'],
    })
  })

  it.each([
    {},
    null,
    'flagged',
    { flagged: 'no' },
    { categories: [] },
    { category_scores: { hate: 'high' } },
  ])('rejects %j instead of reading it as safe', (result) => {
    expect(() => parseModerationResult(result, 0.5)).toThrow(MalformedReplyError)
  })

  it('posts batches to /v1/moderations and checks the result count', async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    const pool = agent.get('http://127.0.0.1:9')
    const bodies: unknown[] = []
    pool.intercept({ path: '/v1/moderations', method: 'POST' }).reply(200, (opts) => {
      bodies.push(JSON.parse(opts.body as string))
      return {
        results: [
          { flagged: false, categories: {}, category_scores: { hate: 0.01 } },
          { flagged: true, categories: { hate: true }, category_scores: { hate: 0.97 } },
        ],
      }
    })
    pool.intercept({ path: '/v1/moderations', method: 'POST' }).reply(200, { results: [] })
    const scorer = moderationScorer({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'omni',
      dispatcher: agent,
      clock: noWait,
    })
    expect(await scorer.score(['hello', 'hateful'])).toEqual([
      { toxic: false, toxicity: 0.01, categories: [] },
      { toxic: true, toxicity: 0.97, categories: ['hate'] },
    ])
    expect(bodies).toEqual([{ input: ['hello', 'hateful'], model: 'omni' }])
    await expect(scorer.score(['x'])).rejects.toThrow(/0 results for 1 inputs/)
  })

  it('retries a 503 and then gives up with an infrastructure error', async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    const pool = agent.get('http://127.0.0.1:9')
    pool.intercept({ path: '/v1/moderations', method: 'POST' }).reply(503, 'busy')
    pool
      .intercept({ path: '/v1/moderations', method: 'POST' })
      .reply(200, { results: [{ flagged: false }] })
    const scorer = moderationScorer({
      baseUrl: 'http://127.0.0.1:9/v1',
      dispatcher: agent,
      clock: noWait,
      maxRetries: 1,
    })
    expect(await scorer.score(['hi'])).toEqual([{ toxic: false, toxicity: 0, categories: [] }])
    pool.intercept({ path: '/v1/moderations', method: 'POST' }).reply(500, 'down').times(2)
    await expect(scorer.score(['hi'])).rejects.toMatchObject({ exitCode: 3 })
  })
})

describe('classifier', () => {
  it('reads batched and single TEI /predict shapes', () => {
    const one = [
      { label: 'toxic', score: 0.9 },
      { label: 'non-toxic', score: 0.1 },
    ]
    expect(parseClassifierResponse([one, one], 2)).toHaveLength(2)
    expect(parseClassifierResponse(one, 1)).toEqual([one])
    expect(() => parseClassifierResponse([one], 2)).toThrow(/1 results for 2 inputs/)
    expect(() => parseClassifierResponse([[{ label: 'toxic' }]], 1)).toThrow(MalformedReplyError)
    expect(() => parseClassifierResponse({ error: 'x' }, 1)).toThrow(MalformedReplyError)
  })

  it('maps labels to categories', () => {
    const scores = [
      { label: 'hate', score: 0.8 },
      { label: 'offensive', score: 0.6 },
      { label: 'normal', score: 0.1 },
    ]
    expect(verdictFromLabels(scores, 0.5)).toEqual({
      toxic: true,
      toxicity: 0.8,
      categories: ['hate', 'offensive'],
    })
    expect(verdictFromLabels(scores, 0.5, { hate: 'identity_attack', offensive: 'none' })).toEqual({
      toxic: true,
      toxicity: 0.8,
      categories: ['identity_attack'],
    })
    expect(
      verdictFromLabels(
        [
          { label: 'LABEL_0', score: 0.99 },
          { label: 'LABEL_1', score: 0.01 },
        ],
        0.5,
      ),
    ).toEqual({
      toxic: false,
      toxicity: 0.01,
      categories: [],
    })
  })

  it('posts {inputs} to the endpoint', async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    let sent: unknown
    agent
      .get('http://127.0.0.1:9')
      .intercept({ path: '/predict', method: 'POST' })
      .reply(200, (opts) => {
        sent = JSON.parse(opts.body as string)
        return [[{ label: 'toxic', score: 0.2 }], [{ label: 'toxic', score: 0.75 }]]
      })
    const scorer = classifierScorer({
      url: 'http://127.0.0.1:9/predict',
      dispatcher: agent,
      labels: { toxic: 'insult' },
    })
    expect(await scorer.score(['a', 'b'])).toEqual([
      { toxic: false, toxicity: 0.2, categories: [] },
      { toxic: true, toxicity: 0.75, categories: ['insult'] },
    ])
    expect(sent).toEqual({ inputs: ['a', 'b'], truncate: true })
  })
})
