import { describe, expect, it } from 'vitest'
import type { SuiteConfig } from '../../../src/eval/config-schema.js'
import { suiteSchema } from '../../../src/eval/config-schema.js'
import {
  goldIndex,
  renderChoiceCase,
  renderMessages,
  renderReferences,
} from '../../../src/eval/prompt-render.js'
import { fieldOrTemplate, renderTemplate, TemplateError } from '../../../src/eval/template.js'

const suite = (over: Record<string, unknown>): SuiteConfig =>
  suiteSchema.parse({ name: 's', cases: [{}], ...over })

describe('templates', () => {
  it('renders Jinja with filters, loops and conditionals', () => {
    const t =
      '{{ q | upper }}{% for c in choices %} {{ loop.index }}.{{ c }}{% endfor %}{% if hint %} ({{ hint }}){% endif %}'
    expect(renderTemplate(t, { q: 'pick', choices: ['a', 'b'], hint: '' }, 'w')).toBe(
      'PICK 1.a 2.b',
    )
  })

  it('names the suite and case when a template does not parse', () => {
    const s = suite({ prompt: 'Q: {{ question ' })
    expect(() => renderMessages(s, { question: 'x' }, 'case-7')).toThrow(TemplateError)
    expect(() => renderMessages(s, { question: 'x' }, 'case-7')).toThrow(
      "suite 's', case 'case-7', prompt: template does not parse",
    )
  })

  it('reads a plain field with its type, or renders a template to a string', () => {
    expect(fieldOrTemplate('answers', { answers: ['a', 'b'] }, 'w')).toEqual(['a', 'b'])
    expect(fieldOrTemplate('{{ answers[1] }}', { answers: ['a', 'b'] }, 'w')).toBe('b')
  })
})

describe('messages and references', () => {
  it('builds system, few-shot pairs and the prompt', () => {
    const s = suite({
      system: 'Be brief about {{ topic }}.',
      prompt: 'Q: {{ q }}',
      reference: 'a',
      few_shot: [{ q: '1+1', a: '2' }],
    })
    expect(renderMessages(s, { q: '2+2', topic: 'sums', a: '4' }, 'c')).toEqual([
      { role: 'system', content: 'Be brief about sums.' },
      { role: 'user', content: 'Q: 1+1' },
      { role: 'assistant', content: '2' },
      { role: 'user', content: 'Q: 2+2' },
    ])
    expect(renderReferences(s, { a: '4' }, 'c')).toEqual(['4'])
  })

  it('uses explicit message templates when given', () => {
    const s = suite({ messages: [{ role: 'user', content: 'Say {{ w }}' }] })
    expect(renderMessages(s, { w: 'hi' }, 'c')).toEqual([{ role: 'user', content: 'Say hi' }])
  })

  it('accepts reference lists, JSON-encoded lists (CSV) and the default fields', () => {
    const s = suite({ prompt: 'x' })
    expect(renderReferences(s, { references: ['a', 'b'] }, 'c')).toEqual(['a', 'b'])
    expect(renderReferences(s, { answer: '["x","y"]' }, 'c')).toEqual(['x', 'y'])
    expect(renderReferences(s, {}, 'c')).toEqual([])
  })
})

describe('multiple choice', () => {
  it('resolves gold from an index, a digit string, a choice text, a letter or an ARC label', () => {
    const texts = ['red', 'green', 'blue']
    expect(goldIndex(2, texts)).toBe(2)
    expect(goldIndex('1', texts)).toBe(1)
    expect(goldIndex('blue', texts)).toBe(2)
    expect(goldIndex('B', texts)).toBe(1)
    expect(goldIndex('3', texts, ['1', '2', '3'])).toBe(2)
    expect(goldIndex(5, texts)).toBeUndefined()
    expect(goldIndex('purple', texts)).toBeUndefined()
  })

  it('builds the lm-eval context: few-shot examples with their gold choice, then the question', () => {
    const s = suite({
      task: 'multiple_choice',
      prompt: 'Question: {{ q }}\nAnswer:',
      few_shot: [{ q: 'Sky?', choices: ['blue', 'green'], gold: 0 }],
    })
    const mc = renderChoiceCase(
      s,
      {
        q: 'Grass?',
        choices: { text: ['blue', 'green'], label: ['A', 'B'] },
        answerKey: 'B',
        gold: 'B',
      },
      'c',
    )
    expect(mc).toEqual({
      context: 'Question: Sky?\nAnswer: blue\n\nQuestion: Grass?\nAnswer:',
      choices: ['blue', 'green'],
      gold: 1,
    })
  })

  it('reports a gold that is not among the choices', () => {
    const s = suite({ task: 'multiple_choice', prompt: '{{ q }}' })
    expect(() => renderChoiceCase(s, { q: 'x', choices: ['a', 'b'], gold: 'zzz' }, 'c9')).toThrow(
      /case 'c9', gold: 'zzz'/,
    )
  })
})
