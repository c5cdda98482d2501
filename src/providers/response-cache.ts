import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { canonicalJson } from './canonical-json.js'

/** What the cache keeps per request: the server's JSON body and the latency of the original call. */
export interface CachedResponse {
  body: unknown
  latency_ms: number
}

/** The provider identity a cache entry belongs to: the same body sent to another server is another entry. */
export interface CacheIdentity {
  base_url: string
  model: string
}

/** Whether a request is deterministic enough to cache: temperature 0, or a fixed seed. */
export function isCacheable(body: {
  temperature?: unknown
  seed?: unknown
  stream?: unknown
}): boolean {
  return body.temperature === 0 || typeof body.seed === 'number'
}

/** sha256 of the provider identity, the endpoint path and the canonical request body. */
export function cacheKey(identity: CacheIdentity, endpoint: string, body: unknown): string {
  const base = identity.base_url.replace(/\/+$/, '')
  return createHash('sha256')
    .update(canonicalJson({ base_url: base, model: identity.model, endpoint, body }))
    .digest('hex')
}

/**
 * A content-addressed response cache on disk (`<dir>/<2 hex>/<sha256>.json`), safe to share between
 * processes (writes go to a temporary file renamed into place) and to restore with actions/cache.
 */
export class ResponseCache {
  hits = 0
  misses = 0
  writes = 0

  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`)
  }

  /** The stored response, or undefined (a corrupt entry counts as a miss). */
  async get(key: string): Promise<CachedResponse | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.file(key), 'utf8')) as CachedResponse
      if (parsed && typeof parsed === 'object' && 'body' in parsed) {
        this.hits++
        return parsed
      }
    } catch {
      // absent or unreadable: a miss
    }
    this.misses++
    return undefined
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    const file = this.file(key)
    await mkdir(path.dirname(file), { recursive: true })
    const tmp = `${file}.${randomUUID()}.tmp`
    await writeFile(tmp, JSON.stringify(value))
    await rename(tmp, file)
    this.writes++
  }
}
