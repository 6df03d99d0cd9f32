import { LRUCache } from 'lru-cache'
import type { ResolvedKey } from './resolved-key.js'

/**
 * Key-hash → resolved key, so authentication is not a database round trip per request.
 * Two caches: known keys, and a separate, smaller one for unknown hashes, so a flood of random
 * keys can only evict other unknown keys, never valid ones. Both are dropped whenever
 * auth_revision moves (see plugins/auth-revision.ts); the TTL is only a backstop.
 *
 * `generation` guards against a lookup that started before a clear and finished after it: its
 * possibly stale answer is not cached.
 */
export class KeyCache {
  readonly #known: LRUCache<string, ResolvedKey>
  readonly #unknown: LRUCache<string, true>
  #generation = 0

  constructor (opts: { max: number, negativeMax: number, ttlMs: number }) {
    const ttl = Math.max(opts.ttlMs, 1)
    this.#known = new LRUCache({ max: opts.max, ttl })
    this.#unknown = new LRUCache({ max: opts.negativeMax, ttl })
  }

  get generation (): number { return this.#generation }

  /** A known key, null for a hash known to be unknown, undefined when the database must be asked. */
  get (hash: string): ResolvedKey | null | undefined {
    const key = this.#known.get(hash)
    if (key !== undefined) return key
    return this.#unknown.has(hash) ? null : undefined
  }

  /** Caches a lookup result unless the cache was cleared since `generation` was read. */
  set (hash: string, key: ResolvedKey | null, generation: number): void {
    if (generation !== this.#generation) return
    if (key === null) this.#unknown.set(hash, true)
    else this.#known.set(hash, key)
  }

  delete (hash: string): void {
    this.#known.delete(hash)
    this.#unknown.delete(hash)
  }

  clear (): void {
    this.#generation++
    this.#known.clear()
    this.#unknown.clear()
  }

  get size (): { known: number, unknown: number } {
    return { known: this.#known.size, unknown: this.#unknown.size }
  }
}
