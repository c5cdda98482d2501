import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../../src/providers/canonical-json.js'
import { cacheKey, isCacheable, ResponseCache } from '../../../src/providers/response-cache.js'

const id = { base_url: 'http://127.0.0.1:8000/v1', model: 'm' }
const body = {
  model: 'm',
  messages: [{ role: 'user', content: 'hi' }],
  temperature: 0,
  max_tokens: 8,
}

describe('cacheKey', () => {
  it('is the sha256 of identity, endpoint and the canonical body', () => {
    const key = cacheKey(id, '/chat/completions', body)
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    // Key order and a trailing slash on the base URL do not matter.
    const reordered = {
      max_tokens: 8,
      temperature: 0,
      messages: [{ content: 'hi', role: 'user' }],
      model: 'm',
    }
    expect(cacheKey({ ...id, base_url: `${id.base_url}/` }, '/chat/completions', reordered)).toBe(
      key,
    )
  })

  it('differs when the server, the model, the endpoint or any request field differs', () => {
    const key = cacheKey(id, '/chat/completions', body)
    const others = [
      cacheKey({ ...id, base_url: 'http://127.0.0.1:8001/v1' }, '/chat/completions', body),
      cacheKey({ ...id, model: 'm2' }, '/chat/completions', body),
      cacheKey(id, '/completions', body),
      cacheKey(id, '/chat/completions', { ...body, max_tokens: 9 }),
      cacheKey(id, '/chat/completions', { ...body, seed: 1 }),
    ]
    expect(new Set([key, ...others]).size).toBe(6)
  })

  it('canonical JSON sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    )
  })
})

describe('isCacheable', () => {
  it.each([
    [{ temperature: 0 }, true],
    [{ temperature: 0.7, seed: 3 }, true],
    [{ seed: 0 }, true],
    [{ temperature: 0.7 }, false],
    [{}, false],
  ])('%j → %s', (b, expected) => {
    expect(isCacheable(b)).toBe(expected)
  })
})

describe('ResponseCache', () => {
  let dir = ''
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('stores entries under <2 hex>/<key>.json and counts hits and misses', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-cache-'))
    const cache = new ResponseCache(dir)
    const key = cacheKey(id, '/chat/completions', body)
    expect(await cache.get(key)).toBeUndefined()
    await cache.set(key, { body: { text: 'Paris' }, latency_ms: 12.5 })
    expect(await cache.get(key)).toEqual({ body: { text: 'Paris' }, latency_ms: 12.5 })
    expect(await readdir(path.join(dir, key.slice(0, 2)))).toEqual([`${key}.json`])
    expect([cache.hits, cache.misses, cache.writes]).toEqual([1, 1, 1])
  })

  it('treats a corrupt entry as a miss', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-cache-'))
    const cache = new ResponseCache(dir)
    const key = 'ab'.repeat(32)
    await cache.set(key, { body: 1, latency_ms: 1 })
    await writeFile(path.join(dir, 'ab', `${key}.json`), '{"body": tru')
    expect(await cache.get(key)).toBeUndefined()
    expect(cache.misses).toBe(1)
  })
})
