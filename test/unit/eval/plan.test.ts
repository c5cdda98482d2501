import { describe, expect, it } from 'vitest'
import { suiteSchema } from '../../../src/eval/config-schema.js'
import { buildPlan, parseShard, selectShard, shardHash } from '../../../src/eval/plan.js'
import type { LoadedSuite } from '../../../src/eval/suite-cases.js'
import { UsageError } from '../../../src/errors.js'

function suite(name: string, n: number, over: Record<string, unknown> = {}): LoadedSuite {
  return {
    config: suiteSchema.parse({ name, cases: [{}], ...over }),
    cases: Array.from({ length: n }, (_, i) => ({
      id: `${name}-${i}`,
      vars: {},
      tags: i % 2 ? ['odd'] : [],
    })),
  }
}

const key = (i: { suite: LoadedSuite; case: { id: string }; provider: string }) =>
  `${i.suite.config.name}/${i.case.id}/${i.provider}`

describe('parseShard', () => {
  it('accepts i/n with 1 <= i <= n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 })
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1/2/3', ''])
      expect(() => parseShard(bad)).toThrow(UsageError)
  })
})

describe('buildPlan', () => {
  const suites = [suite('qa', 3), suite('mc', 2, { providers: ['candidate'] })]
  const providers = ['baseline', 'candidate', 'judge']

  it('crosses suites, providers (judge excluded by default) and cases', () => {
    expect(buildPlan(suites, providers).map(key)).toEqual([
      'qa/qa-0/baseline',
      'qa/qa-0/candidate',
      'qa/qa-1/baseline',
      'qa/qa-1/candidate',
      'qa/qa-2/baseline',
      'qa/qa-2/candidate',
      'mc/mc-0/candidate',
      'mc/mc-1/candidate',
    ])
  })

  it('filters by suite, provider and tag, and names unknown filter values', () => {
    expect(buildPlan(suites, providers, { suites: ['mc'] }).map(key)).toEqual([
      'mc/mc-0/candidate',
      'mc/mc-1/candidate',
    ])
    expect(buildPlan(suites, providers, { providers: ['baseline'] })).toHaveLength(3)
    expect(buildPlan(suites, providers, { tags: ['odd'] }).map(key)).toEqual([
      'qa/qa-1/baseline',
      'qa/qa-1/candidate',
      'mc/mc-1/candidate',
    ])
    expect(() => buildPlan(suites, providers, { suites: ['qaa'] })).toThrow(
      "unknown suite 'qaa'. Did you mean 'qa'?",
    )
    expect(() => buildPlan(suites, providers, { providers: ['nope'] })).toThrow(UsageError)
  })
})

describe('sharding', () => {
  const big = [suite('a', 997), suite('b', 250)]
  const providers = ['baseline', 'candidate']

  it('splits into disjoint shards that together are the whole plan, evenly (sizes differ by at most one case)', () => {
    const all = buildPlan(big, providers).map(key).sort()
    for (const n of [2, 3, 4, 7]) {
      const shards = Array.from({ length: n }, (_, i) =>
        buildPlan(big, providers, {}, { index: i + 1, count: n }).map(key),
      )
      const union = shards.flat().sort()
      expect(union).toEqual(all)
      expect(new Set(union).size).toBe(all.length)
      const caseCounts = shards.map((s) => s.length / providers.length)
      expect(Math.max(...caseCounts) - Math.min(...caseCounts)).toBeLessThanOrEqual(1)
    }
  })

  it('keeps every provider of a case in the same shard', () => {
    const shard = buildPlan(big, providers, {}, { index: 2, count: 3 })
    const byCase = new Map<string, number>()
    for (const i of shard)
      byCase.set(
        `${i.suite.config.name}/${i.case.id}`,
        (byCase.get(`${i.suite.config.name}/${i.case.id}`) ?? 0) + 1,
      )
    expect([...byCase.values()].every((v) => v === 2)).toBe(true)
  })

  it('is stable: the same cases in another order give the same shards', () => {
    const reversed: LoadedSuite[] = big
      .map((s) => ({ ...s, cases: [...s.cases].reverse() }))
      .reverse()
    const a = buildPlan(big, providers, {}, { index: 1, count: 4 }).map(key).sort()
    const b = buildPlan(reversed, providers, {}, { index: 1, count: 4 }).map(key).sort()
    expect(b).toEqual(a)
  })

  it('orders by sha256 of suite and case id', () => {
    expect(shardHash('qa', '1')).toMatch(/^[0-9a-f]{64}$/)
    expect(shardHash('qa', '1')).not.toBe(shardHash('q', 'a1'))
    const units = ['x', 'y', 'z', 'w']
    // Ranked by key: w, x, y, z; shard 1/2 takes ranks 0 and 2 and keeps the input order.
    expect(selectShard(units, (u) => u, { index: 1, count: 2 })).toEqual(['y', 'w'])
    expect(selectShard(units, (u) => u, { index: 2, count: 2 })).toEqual(['x', 'z'])
  })
})
