import { LRUCache } from 'lru-cache'
import type { ResolvedKey } from '../repositories/api-keys.js'

/**
 * Short-lived cache of key-hash → key, so authentication is not a database round trip per request.
 * Unknown keys are cached too (as `null`), so a client hammering with a bad key does not hammer
 * Postgres. Revocation through this instance evicts at once; other instances see it within the TTL.
 */
export class KeyCache {
  readonly #cache: LRUCache<string, { key: ResolvedKey | null }>

  constructor (max: number, ttlMs: number) {
    this.#cache = new LRUCache({ max, ttl: Math.max(ttlMs, 1) })
  }

  get (hash: string): ResolvedKey | null | undefined {
    return this.#cache.get(hash)?.key
  }

  set (hash: string, key: ResolvedKey | null): void {
    this.#cache.set(hash, { key })
  }

  delete (hash: string): void {
    this.#cache.delete(hash)
  }
}
