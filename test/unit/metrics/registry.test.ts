import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../../src/errors.js'
import { METRIC_NAMES, prepareMetrics, resolveMetric } from '../../../src/metrics/registry.js'
import type { CaseMetric, CorpusMetric } from '../../../src/metrics/types.js'

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'metrics')

describe('resolveMetric', () => {
  it('knows the documented names', () => {
    for (const name of [
      'exact',
      'bleu',
      'corpus_bleu',
      'chrf',
      'rouge1',
      'rouge2',
      'rougeL',
      'rougeLsum',
      'meteor',
      'contains',
      'regex',
      'starts_with',
      'json_valid',
      'json_schema',
      'numeric',
      'judge',
      'pairwise_judge',
      'selfcheck',
      'custom',
    ]) {
      expect(METRIC_NAMES).toContain(name)
    }
  })

  it('rejects unknown names with a suggestion and the list', () => {
    expect(() => resolveMetric('rougel')).toThrow(ConfigurationError)
    expect(() => resolveMetric('rougel')).toThrow(
      /Did you mean 'rougeL'\?.*Valid metrics: exact, bleu/,
    )
  })

  it('rejects bad options naming the metric', () => {
    expect(() => resolveMetric({ bleu: { tokenize: 'moses' } })).toThrow(/metric bleu: .*tokenize/)
    expect(() => resolveMetric('contains')).toThrow(ConfigurationError)
  })

  it('records definitions with the reference signature', () => {
    expect(resolveMetric('bleu').definition).toBe(
      'sacrebleu.sentence_bleu nrefs:var|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0',
    )
    expect(resolveMetric('corpus_bleu').definition).toContain('eff:no')
    expect(resolveMetric({ rougeL: { stemmer: true } }).definition).toContain('stemmer:porter-nltk')
    expect(resolveMetric('rougeL').definition).not.toBe(
      resolveMetric({ rougeL: { stemmer: true } }).definition,
    )
  })

  it('scores case metrics under their (renamable) names', () => {
    const m = resolveMetric({ rougeL: { stemmer: true, name: 'rougeL_stem' } }) as CaseMetric
    expect(m.score({ prediction: 'the dogs ran', references: ['the dog ran'], vars: {} })).toEqual({
      rougeL_stem: 1,
    })
    const b = resolveMetric('bleu') as CaseMetric
    expect(b.score({ prediction: 'a test', references: ['a test'], vars: {} }).bleu).toBeCloseTo(
      100,
      9,
    )
  })

  it('corpus BLEU is one score from summed statistics', () => {
    const m = resolveMetric('corpus_bleu') as CorpusMetric
    const inputs = [
      {
        prediction: 'The dog bit the man.',
        references: ['The dog bit the man.', 'The dog had bit the man.'],
        vars: {},
      },
      {
        prediction: "It wasn't surprising.",
        references: ['It was not unexpected.', 'No one was surprised.'],
        vars: {},
      },
      {
        prediction: 'The man had just bitten him.',
        references: ['The man bit him first.', 'The man had bitten the dog.'],
        vars: {},
      },
    ]
    expect(m.score(inputs).corpus_bleu).toBeCloseTo(48.530827, 6)
  })

  it('loads custom metrics relative to the config dir', async () => {
    const m = resolveMetric(
      { custom: { module: './custom-metric.mjs', export: 'score' } },
      { configDir: fixtures },
    ) as CaseMetric
    expect(() => m.score({ prediction: 'x', references: [], vars: {} })).toThrow(/not prepared/)
    await prepareMetrics([m])
    expect(
      m.score({ prediction: 'one two three', references: [], vars: { max_words: 2 } }),
    ).toEqual({ word_count: 3, short_enough: false })
    const d = resolveMetric(
      { custom: { module: './custom-metric.mjs' } },
      { configDir: fixtures },
    ) as CaseMetric
    await prepareMetrics([d])
    expect(d.score({ prediction: 'abcd', references: [], vars: {} })).toEqual({ default: 4 })
  })

  it('a missing custom module is a configuration error', async () => {
    const m = resolveMetric({ custom: { module: './nope.mjs' } }, { configDir: fixtures })
    await expect(prepareMetrics([m])).rejects.toThrow(ConfigurationError)
  })

  it('json_schema loads a schema file relative to the config dir', () => {
    expect(() =>
      resolveMetric({ json_schema: { schema: 'missing.json' } }, { configDir: fixtures }),
    ).toThrow(ConfigurationError)
  })
})
