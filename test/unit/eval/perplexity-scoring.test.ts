import { describe, expect, it } from 'vitest'
import type { Provenance } from '../../../src/contracts/provenance.js'
import { findIncomparable } from '../../../src/gate/comparability.js'
import type { ResultRow } from '../../../src/contracts/results.js'
import { providerSchema, suiteSchema } from '../../../src/eval/config-schema.js'
import { perplexityMethod, perplexityMethodWarnings } from '../../../src/eval/summary.js'
import {
  describeScoring,
  perplexityDefinition,
  resolvePerplexityScoring,
  type PerplexityScoring,
} from '../../../src/eval/tasks/perplexity-scoring.js'

const rolling: PerplexityScoring = { method: 'rolling', contextLength: 4096, prefixToken: 1 }
const single: PerplexityScoring = { method: 'single', reason: 'no /tokenize' }
const suite = (extra: Record<string, unknown> = {}) =>
  suiteSchema.parse({ name: 'ppl', task: 'perplexity', cases: [], ...extra })

function row(provider: string, method: string | undefined, error = false): ResultRow {
  return {
    suite: 'ppl',
    case: `c-${provider}-${method}`,
    provider,
    model: 'm',
    input: null,
    output: null,
    metrics: error ? {} : { loglikelihood: -3, words: 2, bytes: 9 },
    error: error ? { kind: 'server_error', message: 'x' } : null,
    latency_ms: 1,
    usage: {},
    cached: false,
    ...(method ? { method } : {}),
  }
}

describe('perplexity scoring method', () => {
  it('records the method and max_length as the metric definition, per provider when they differ', () => {
    expect(perplexityDefinition(suite(), new Map([['a', rolling]]))).toBe('rolling:2048')
    expect(perplexityDefinition(suite({ max_length: 512 }), new Map([['a', rolling]]))).toBe(
      'rolling:512',
    )
    expect(perplexityDefinition(suite(), new Map([['a', single]]))).toBe('single')
    expect(
      perplexityDefinition(
        suite(),
        new Map<string, PerplexityScoring>([
          ['z', rolling],
          ['a', single],
        ]),
      ),
    ).toBe('mixed: a=single, z=rolling:2048')
    expect(perplexityDefinition(suite(), new Map())).toBeUndefined()
  })

  it('makes the gate refuse to compare runs whose perplexity methods differ', () => {
    const prov = (definition: string) =>
      ({
        dataset_hashes: {},
        metric_definitions: { 'ppl/loglikelihood': definition },
      }) as unknown as Provenance
    const single = perplexityDefinition(suite(), new Map([['c', { method: 'single', reason: '' }]]))
    const windows = perplexityDefinition(suite(), new Map([['c', rolling]]))
    expect(findIncomparable(prov(single!), prov(windows!)).metrics.get('ppl/loglikelihood')).toBe(
      'metric definition differs (baseline single, candidate rolling:2048)',
    )
    expect(findIncomparable(prov(windows!), prov(windows!)).metrics.size).toBe(0)
  })

  it("labels a group's method from its scored rows, 'mixed' when they differ", () => {
    expect(perplexityMethod([row('a', 'rolling'), row('a', 'rolling')])).toBe('rolling')
    expect(perplexityMethod([row('a', 'rolling'), row('a', 'single')])).toBe('mixed')
    // Failed rows and rows of other tasks do not count.
    expect(perplexityMethod([row('a', 'rolling'), row('a', 'single', true)])).toBe('rolling')
    expect(perplexityMethod([row('a', undefined)])).toBeUndefined()
  })

  it('warns about mixed groups and about providers of a suite scored differently', () => {
    const group = (perplexity_method?: string) => ({
      cases: 1,
      errors: 0,
      errors_by_kind: {},
      metrics: {},
      ...(perplexity_method ? { perplexity_method } : {}),
    })
    expect(
      perplexityMethodWarnings({
        ppl: { providers: { a: group('rolling'), b: group('rolling') } },
        qa: { providers: { a: group(), b: group() } },
      }),
    ).toEqual([])
    expect(
      perplexityMethodWarnings({ ppl: { providers: { a: group('mixed'), b: group('rolling') } } }),
    ).toEqual([
      'ppl: provider a has perplexity cases scored by both rolling windows and the single-request fallback',
      'ppl: perplexity scored by different methods across providers (a: mixed, b: rolling); their loglikelihoods and perplexities are not comparable',
    ])
  })

  it('falls back to one request per document, with a warning, when the server cannot tokenize', async () => {
    const config = providerSchema.parse({ base_url: 'http://127.0.0.1:9/v1', model: 'm' })
    const scoring = await resolvePerplexityScoring(
      'p',
      config,
      { name: 'tgi', version: null, models: [], promptLogprobs: true, tokenize: false },
      {},
    )
    expect(scoring).toEqual({
      method: 'single',
      reason: 'the server (tgi) has no /tokenize endpoint to cut token windows with',
    })
    const line = describeScoring('p', scoring)
    expect(line.level).toBe('warn')
    expect(line.message).toContain('FALLBACK to one echo request per document')
    expect(describeScoring('p', rolling)).toEqual({
      level: 'info',
      message: 'eval: p perplexity: rolling token windows (context 4096, prefix token 1)',
    })
  })
})
