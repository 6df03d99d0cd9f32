import type { Database } from '@switchyard/db'
import { tokensUsedSince, type Owner } from './usage-totals.js'

/** How long a Postgres total is reused while Redis is unavailable (or not configured). */
const FALLBACK_CACHE_MS = 5000

const ownerKey = (owner: Owner, since: Date) => `${'userId' in owner ? `u:${owner.userId}` : `k:${owner.keyId}`}:${since.getTime()}`

/**
 * Month totals from Postgres, asked at most once at a time per owner and month in this process
 * (concurrent requests share one query: no thundering herd when a Redis counter goes missing),
 * and, for the fallback path, reused for a few seconds so a Redis outage does not turn into a
 * database query per request.
 */
export class DurableTotals {
  readonly #db: Database
  readonly #inFlight = new Map<string, Promise<number>>()
  readonly #recent = new Map<string, { value: number, at: number }>()

  constructor (db: Database) { this.#db = db }

  /** A total read now (shared with concurrent callers). */
  async fresh (owner: Owner, since: Date): Promise<number> {
    const k = ownerKey(owner, since)
    let p = this.#inFlight.get(k)
    if (p === undefined) {
      p = tokensUsedSince(this.#db, owner, since).finally(() => this.#inFlight.delete(k))
      this.#inFlight.set(k, p)
    }
    const value = await p
    this.#recent.set(k, { value, at: Date.now() })
    return value
  }

  /** A total at most a few seconds old. */
  async recent (owner: Owner, since: Date): Promise<number> {
    const hit = this.#recent.get(ownerKey(owner, since))
    if (hit !== undefined && Date.now() - hit.at < FALLBACK_CACHE_MS) return hit.value
    if (this.#recent.size > 10_000) this.#recent.clear()
    return await this.fresh(owner, since)
  }
}
