import { describe, expect, it } from 'vitest'
import { suiteSchema } from '../../../src/eval/config-schema.js'
import { renderChoiceCase } from '../../../src/eval/prompt-render.js'
import { runMultipleChoiceTask } from '../../../src/eval/tasks/multiple-choice-task.js'
import type { CompletionResponse, ModelClient } from '../../../src/providers/types.js'

const suite = (over: Record<string, unknown>) =>
  suiteSchema.parse({
    name: 'tqa',
    task: 'multiple_choice',
    cases: [{}],
    prompt: 'Q: {{ question }}\nA:',
    ...over,
  })

const doc = {
  question: 'Is a tomato a fruit?',
  mc2_targets: { choices: ['Yes.', 'Yes, botanically.', 'No.'], labels: [1, 1, 0] },
}

/**
 * A fake server for echo requests: the prompt is split at the context's end ("A:"); the scored
 * continuation gets the logprob given for its choice text, the context token none.
 */
function echoClient(llOf: Record<string, number>): ModelClient {
  return {
    provider: 'p',
    model: 'm',
    chat: () => Promise.reject(new Error('unused')),
    probe: () => Promise.reject(new Error('unused')),
    complete(request) {
      const prompt = (request.prompt as string[])[0]!
      const cut = prompt.indexOf('A:') + 2
      const tokens = [prompt.slice(0, cut), prompt.slice(cut), 'X']
      const res: CompletionResponse = {
        choices: [
          {
            index: 0,
            text: tokens.join(''),
            finish_reason: 'length',
            logprobs: {
              tokens,
              token_logprobs: [null, llOf[prompt.slice(cut).trim()] ?? -99, -1],
              top_logprobs: [null, { [tokens[1]!]: 0 }, { X: -1 }],
              text_offset: [0, cut, prompt.length],
            },
          },
        ],
        usage: {},
        latency_ms: 1,
        cached: false,
      }
      return Promise.resolve(res)
    },
  }
}

describe('multiple choice with MC2 labels', () => {
  it('reads 0/1 labels from a field or a tojson template; gold defaults to the first true choice', () => {
    const viaTemplate = renderChoiceCase(
      suite({
        choices: '{{ mc2_targets.choices | tojson }}',
        labels: '{{ mc2_targets.labels | tojson }}',
      }),
      doc,
      'c1',
    )
    expect(viaTemplate).toEqual({
      context: 'Q: Is a tomato a fruit?\nA:',
      choices: ['Yes.', 'Yes, botanically.', 'No.'],
      gold: 0,
      labels: [1, 1, 0],
    })
    const viaField = renderChoiceCase(
      suite({ choices: 'c', labels: 'l' }),
      { question: 'q', c: ['a', 'b', 'c'], l: [0, 0, 1] },
      'c2',
    )
    expect(viaField.gold).toBe(2)
    expect(viaField.labels).toEqual([0, 0, 1])
    // An explicit gold still wins.
    const explicit = renderChoiceCase(
      suite({ choices: 'c', labels: 'l', gold: 'g' }),
      { question: 'q', c: ['a', 'b', 'c'], l: [1, 1, 0], g: 1 },
      'c3',
    )
    expect(explicit.gold).toBe(1)
  })

  it('reports labels that do not give one 0/1 per choice with at least one true', () => {
    const s = suite({ choices: 'c', labels: 'l' })
    for (const l of [[1, 0], [0, 0, 0], [1, 2, 0], 'yes'])
      expect(() => renderChoiceCase(s, { question: 'q', c: ['a', 'b', 'c'], l }, 'c9')).toThrow(
        /suite 'tqa', case 'c9', labels: field 'l' must hold a 0\/1 label for each of the 3 choices/,
      )
  })

  it('scores mc2 as the normalised probability of the true choices and records each loglikelihood', async () => {
    const s = suite({ choices: 'c', labels: 'l' })
    const vars = { question: 'q', c: ['a', 'b', 'c'], l: [1, 0, 1] }
    const lls = { a: Math.log(0.2), b: Math.log(0.5), c: Math.log(0.3) }
    const out = await runMultipleChoiceTask(
      s,
      { id: 'c1', vars, tags: [] },
      echoClient(lls),
      { name: 'llama.cpp', version: null, models: [] },
      {},
    )
    expect(out.loglikelihoods).toEqual([lls.a, lls.b, lls.c])
    expect(out.metrics.mc2).toBeCloseTo(0.5, 12)
    // acc against the first true choice ('a'): the most likely choice is 'b'.
    expect(out.metrics.acc).toBe(0)
    expect(out.output).toBe('b')
    expect(out.input).toMatchObject({ gold: 0, labels: [1, 0, 1] })
  })

  it('adds no mc2 without labels', async () => {
    const s = suite({ choices: 'c', gold: 'g' })
    const out = await runMultipleChoiceTask(
      s,
      { id: 'c1', vars: { question: 'q', c: ['a', 'b'], g: 1 }, tags: [] },
      echoClient({ a: -3, b: -1 }),
      { name: 'llama.cpp', version: null, models: [] },
      {},
    )
    expect(out.metrics.mc2).toBeUndefined()
    expect(out.metrics.acc).toBe(1)
    expect(out.loglikelihoods).toEqual([-3, -1])
  })
})
