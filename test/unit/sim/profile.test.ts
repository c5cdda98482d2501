import { describe, expect, it } from 'vitest'
import { generateTokens, promptLogprobs, resolveReply } from '../../../src/sim/behaviour.js'
import { modelProfile, parseProfile } from '../../../src/sim/profile.js'
import { splitTokens } from '../../../src/sim/tokenizer.js'
import { ConfigurationError } from '../../../src/errors.js'

const profile = parseProfile({
  models: {
    base: {
      rules: [
        {
          match: 'capital of (?<country>\\w+)',
          reply: { template: 'The capital of {{country}} is {{1}}-city.' },
        },
        { match: 'France', prefer: 'Paris' },
      ],
    },
    bad: { rules: [{ match: 'France', prefer: 'Paris' }], degrade: { rate: 1, mode: 'refuse' } },
    '*': { default_reply: 'fallback' },
  },
})

describe('sim profiles', () => {
  it('fills defaults and validates', () => {
    expect(profile.models.base?.timing.role_chunk).toBe(true)
    expect(() => parseProfile({ models: { m: { rules: [{ match: '(' }] } } })).toThrow(
      ConfigurationError,
    )
    expect(() => parseProfile({ models: { m: { timing: { ttft: 3 } } } })).toThrow(
      /models\.m\.timing/,
    )
  })

  it('answers by the first matching rule with regex groups', () => {
    const reply = resolveReply(modelProfile(profile, 'base')!, 'What is the capital of Peru?', {
      model: 'base',
    })
    expect(reply.text).toBe('The capital of Peru is Peru-city.')
    expect(reply.rule).toBe(0)
  })

  it('falls back to the default reply and the wildcard model', () => {
    expect(resolveReply(modelProfile(profile, 'base')!, 'hi', { model: 'base' }).text).toBe(
      'You said: hi',
    )
    expect(resolveReply(modelProfile(profile, 'other')!, 'hi', { model: 'other' }).text).toBe(
      'fallback',
    )
  })

  it('degrades deterministically by prompt hash at the given rate', () => {
    const p = parseProfile({
      models: { m: { default_reply: 'fine', degrade: { rate: 0.3, seed: 4, mode: 'wrong' } } },
    }).models.m!
    const prompts = Array.from({ length: 400 }, (_, i) => `prompt ${i}`)
    const first = prompts.map((q) => resolveReply(p, q, { model: 'm' }).degraded)
    const second = prompts.map((q) => resolveReply(p, q, { model: 'm' }).degraded)
    expect(first).toEqual(second)
    const share = first.filter(Boolean).length / prompts.length
    expect(share).toBeGreaterThan(0.22)
    expect(share).toBeLessThan(0.38)
    expect(resolveReply(modelProfile(profile, 'bad')!, 'x', { model: 'bad' }).text).toMatch(/sorry/)
  })

  it('applies max_tokens, ignore_eos, min_tokens and stop', () => {
    const reply = 'one two three four'
    expect(
      generateTokens(reply, { maxTokens: 2, minTokens: 0, ignoreEos: false, stop: [] }),
    ).toEqual({ tokens: ['one', ' two'], finish: 'length' })
    expect(
      generateTokens(reply, { maxTokens: 100, minTokens: 0, ignoreEos: false, stop: [] }).finish,
    ).toBe('stop')
    expect(
      generateTokens(reply, { maxTokens: 10, minTokens: 0, ignoreEos: true, stop: [] }).tokens,
    ).toHaveLength(10)
    expect(
      generateTokens(reply, { maxTokens: 100, minTokens: 7, ignoreEos: false, stop: [] }).tokens,
    ).toHaveLength(7)
    expect(
      generateTokens(reply, { maxTokens: 100, minTokens: 0, ignoreEos: false, stop: [' thr'] }),
    ).toEqual({ tokens: ['one', ' two'], finish: 'stop' })
  })

  it('makes a preferred continuation the most likely one, unless degraded', () => {
    const sum = (name: string, text: string) =>
      promptLogprobs(modelProfile(profile, name)!, splitTokens(text), 1)
        .logprobs.slice(-1)
        .reduce<number>((s, v) => s + (v ?? 0), 0)
    const q = 'Capital of France?\nAnswer:'
    expect(sum('base', `${q} Paris`)).toBeGreaterThan(sum('base', `${q} Lyon`))
    expect(sum('bad', `${q} Paris`)).toBeLessThan(sum('bad', `${q} Lyon`))
    const lp = promptLogprobs(modelProfile(profile, 'base')!, splitTokens(`${q} Paris`), 2)
    expect(lp.logprobs[0]).toBeNull()
    expect(lp.top[0]).toBeNull()
    expect(Object.keys(lp.top.at(-1)!)[0]).toBe(' Paris')
  })
})
