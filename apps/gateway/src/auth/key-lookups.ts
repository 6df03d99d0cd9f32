import type { Database } from '@switchyard/db'
import { findKeyByHash } from '../repositories/api-keys.js'
import type { ResolvedKey } from './resolved-key.js'

/**
 * Key lookups in Postgres, at most one at a time per key hash in this process: when a burst
 * arrives on a key whose cache entry has just expired (or was dropped by a revocation anywhere),
 * every request waits for the same query instead of each queueing its own on the pool, where
 * most would run past the query deadline and fail with 503 DATABASE_UNAVAILABLE (found by the
 * bench's 2,000-stream burst: 1,846 of them failed so before this).
 */
export class KeyLookups {
  readonly #db: Database
  readonly #inFlight = new Map<string, Promise<ResolvedKey | undefined>>()

  constructor (db: Database) { this.#db = db }

  async find (hash: string): Promise<ResolvedKey | undefined> {
    let lookup = this.#inFlight.get(hash)
    if (lookup === undefined) {
      lookup = findKeyByHash(this.#db, hash).finally(() => this.#inFlight.delete(hash))
      this.#inFlight.set(hash, lookup)
    }
    return await lookup
  }
}
