import { describe, expect, it } from 'vitest'
import { judgelmPrompt, parseJudgelmScores, winLabel } from '../../../src/metrics/judges/judgelm.js'
import {
  combineOrders,
  judgePairBothOrders,
  positionBias,
} from '../../../src/metrics/judges/position-swap.js'
import {
  absolutePrompt,
  parseAbsolute,
  parseRelative,
} from '../../../src/metrics/judges/prometheus.js'
import {
  selfcheckAnswerScore,
  selfcheckPrompt,
  selfcheckScores,
  splitSentences,
} from '../../../src/metrics/judges/selfcheck.js'
import { resolveMetric } from '../../../src/metrics/registry.js'
import type { ModelMetric } from '../../../src/metrics/types.js'
import type { ChatRequest, ChatResponse, ModelClient } from '../../../src/providers/types.js'

/** A judge that answers from a function of the request and records what it was asked. */
function fakeJudge(
  answer: (req: ChatRequest) => string,
): ModelClient & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = []
  return {
    provider: 'judge',
    model: 'fake',
    requests,
    chat(req: ChatRequest): Promise<ChatResponse> {
      requests.push(req)
      const text = answer(req)
      return Promise.resolve({
        text,
        texts: [text],
        finish_reason: 'stop',
        usage: {},
        latency_ms: 0,
        cached: false,
      })
    },
    complete: () => Promise.reject(new Error('not used')),
    probe: () => Promise.reject(new Error('not used')),
  }
}

// prometheus-eval libs/prometheus-eval/tests/test_parser.py
describe('Prometheus parsers', () => {
  it.each([
    ['Reference (Score 5) two results [RESULT] 3', 3],
    ['Reference (Score 5) not results', null],
    ['Excellent. [RESULT] 5 out of 5', 5],
    ['Poor performance. [RESULT] score of 1', 1],
    ['Good job. [Result] 3', 3],
    ['Needs improvement. [Result] Score: 2', 2],
    ['Well done. [Result] Result: 4', 4],
    ['Average. [Result] 4/5', 4],
    ['Excellent. [Result] 5 out of 5', 5],
    ['Poor performance. [Result] score of 1', 1],
    ['Good job. (Score 5)', 5],
    ['Good job. [Score 4]', 4],
    ['Good job. score: 3', 3],
    ['Good job. Score: 3', 3],
    ['Good job. score of 1', 1],
    ['Good job. [RESULT] (5)', 5],
    ['The score is definitely not 3.', null],
    ['I rate this a perfect 10!', null],
    ['Score: 2.5', null],
    ['Result: A', null],
  ])('absolute %j -> %j', (output, expected) => {
    expect(parseAbsolute(output).score).toBe(expected)
  })

  it.each([
    ['[Response B is not better. [RESULT] A', 'A'],
    ['Result A or B, not results', null],
    ['Response A is better. [RESULT] A', 'A'],
    ['Prefer Response B. [RESULT] B', 'B'],
    ['Feedback: Both responses are similar... [Response B]', 'B'],
    ['Feedback: Both responses are clear... [Result] Response B', 'B'],
    ['Feedback: Both responses are clear... Response B Response A', null],
    ['Feedback: ... [RESULT: B]', 'B'],
    ['Feedback: ... [Result: B]', 'B'],
    ['Feedback: Both responses are clear...Response A. [RESULT] B', 'B'],
    ['After careful consideration, I select Response B.', null],
    ['Both responses have their merits.', null],
    ['Response C is clearly superior.', null],
    ["The better response is obviously B... or is it A? It's hard to decide.", null],
  ])('relative %j -> %j', (output, expected) => {
    expect(parseRelative(output).winner).toBe(expected)
  })

  it('empty output gives no score and no feedback', () => {
    expect(parseAbsolute('')).toEqual({ score: null, feedback: null })
    expect(parseRelative(null)).toEqual({ winner: null, feedback: null })
  })

  it('builds the absolute prompt from the upstream template', () => {
    const [system, user] = absolutePrompt({
      instruction: 'Q?',
      response: 'R',
      rubric: '[c]\nScore 1: x',
      reference: 'REF',
    })
    expect(system?.content).toMatch(/^You are a fair judge assistant/)
    expect(user?.content).toContain(
      '###The instruction to evaluate:\nQ?\n\n###Response to evaluate:\nR\n\n###Reference Answer (Score 5):\nREF\n\n',
    )
    expect(user?.content.endsWith('###Feedback: ')).toBe(true)
  })

  it('judge metric asks again when the output does not parse', async () => {
    let calls = 0
    const judge = fakeJudge(() => (++calls === 1 ? 'no verdict' : 'Fine. [RESULT] 4'))
    const m = resolveMetric({ judge: { rubric: 'helpfulness' } }) as ModelMetric
    expect(
      await m.score({ prediction: 'p', references: [], vars: {}, prompt: 'q' }, judge),
    ).toEqual({ judge: 4 })
    expect(judge.requests).toHaveLength(2)
    expect(judge.requests[0]?.temperature).toBe(0)
  })
})

describe('JudgeLM pairwise', () => {
  it('parses the first line only', () => {
    expect(parseJudgelmScores('8 6\nbecause')).toEqual([8, 6])
    expect(parseJudgelmScores('8,6')).toEqual([8, 6])
    expect(parseJudgelmScores('8  6')).toEqual([-1, -1])
    expect(parseJudgelmScores('eight six')).toEqual([-1, -1])
  })
  it('labels with a tie margin', () => {
    expect(winLabel(8, 6)).toBe(1)
    expect(winLabel(6, 8)).toBe(-1)
    expect(winLabel(7, 7.5, 1)).toBe(0)
  })
  it('prompt ends with ### Response:', () => {
    const text = judgelmPrompt({ question: 'Q', answer1: 'A1', answer2: 'A2' })[0]?.content ?? ''
    expect(text).toContain(
      "[The Start of Assistant 1's Answer]\nA1\n\n[The End of Assistant 1's Answer]",
    )
    expect(text.endsWith('### Response:')).toBe(true)
  })
})

describe('position swap', () => {
  it('a disagreement is a tie', () => {
    expect(combineOrders(1, 1)).toEqual({ label: 1, consistent: true })
    expect(combineOrders(1, -1)).toEqual({ label: 0, consistent: false })
    expect(combineOrders(null, 1)).toEqual({ label: null, consistent: null })
  })

  it('a judge that always prefers the first position is inconsistent', async () => {
    const judge = fakeJudge(() => '9 3\nfirst is better')
    const v = await judgePairBothOrders(
      judge,
      { question: 'q', a: 'x', b: 'y' },
      { style: 'judgelm', margin: 0, rubric: '', temperature: 0, max_tokens: 64 },
    )
    expect(v).toMatchObject({
      forward: 1,
      backward: -1,
      label: 0,
      consistent: false,
      meanScores: [6, 6],
    })
    expect(positionBias([v, { forward: 1, backward: 1 }])).toEqual({
      n: 2,
      consistency: 0.5,
      perfer_before_rate: 0.5,
      perfer_after_rate: 0,
      delta_bias: 0.5,
      total_bias: 0.5,
    })
  })

  it('pairwise_judge metric compares with the reference in both orders', async () => {
    const judge = fakeJudge((req) =>
      req.messages[0]?.content.includes("1's Answer]\nGOOD") ? '9 2' : '2 9',
    )
    const m = resolveMetric('pairwise_judge') as ModelMetric
    expect(await m.score({ prediction: 'GOOD', references: ['bad'], vars: {} }, judge)).toEqual({
      pairwise_judge: 1,
      pairwise_judge_consistent: true,
    })
  })
})

describe('SelfCheckGPT prompt variant', () => {
  it('maps answers like upstream', () => {
    expect(selfcheckAnswerScore(' Yes.')).toBe(0)
    expect(selfcheckAnswerScore('NO')).toBe(1)
    expect(selfcheckAnswerScore('maybe')).toBe(0.5)
  })
  it('prompt replaces newlines in the sample', () => {
    expect(selfcheckPrompt('a\nb', 'S.')[0]?.content).toBe(
      'Context: a b\n\nSentence: S.\n\nIs the sentence supported by the context above? Answer Yes or No.\n\nAnswer: ',
    )
  })
  it('scores each sentence as the mean over samples', async () => {
    const judge = fakeJudge((req) => {
      const c = req.messages[0]?.content ?? ''
      return c.includes('Sentence: Paris is in France.') || c.includes('Context: sample one')
        ? 'Yes'
        : 'No'
    })
    const sentences = splitSentences('Paris is in France. It has 90 million people.')
    expect(sentences).toEqual(['Paris is in France.', 'It has 90 million people.'])
    const r = await selfcheckScores(judge, sentences, ['sample one', 'sample two'])
    expect(r.sentences).toEqual([0, 0.5])
    expect(r.mean).toBe(0.25)
    expect(judge.requests[0]).toMatchObject({ temperature: 0, max_tokens: 5 })
  })
})
