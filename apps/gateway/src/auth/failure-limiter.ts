import { LRUCache } from 'lru-cache'

const WINDOW_MS = 60_000

/**
 * Failed authentications per client IP, in a fixed one-minute window, in process memory. Its job
 * is to keep a flood of bad keys off the database, which each replica protects for itself, so
 * per-process counting is enough (N replicas admit at most N × the limit, all still cheap).
 * Bounded: the least recently failing addresses are forgotten first.
 */
export class AuthFailureLimiter {
  readonly #windows = new LRUCache<string, { count: number, startedAt: number }>({ max: 10_000 })
  readonly #limit: number
  readonly #now: () => number

  constructor (limitPerMinute: number, now: () => number = Date.now) {
    this.#limit = limitPerMinute
    this.#now = now
  }

  /** Seconds until this IP may try again, or 0 when it is under the limit. */
  retryAfterSeconds (ip: string): number {
    const w = this.#windows.get(ip)
    if (w === undefined) return 0
    const elapsed = this.#now() - w.startedAt
    if (elapsed >= WINDOW_MS) return 0
    return w.count >= this.#limit ? Math.max(1, Math.ceil((WINDOW_MS - elapsed) / 1000)) : 0
  }

  recordFailure (ip: string): void {
    const now = this.#now()
    const w = this.#windows.get(ip)
    if (w === undefined || now - w.startedAt >= WINDOW_MS) this.#windows.set(ip, { count: 1, startedAt: now })
    else w.count++
  }
}
