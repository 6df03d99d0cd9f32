import { LRUCache } from 'lru-cache'

/**
 * Fixed-window request counters in process memory: request limits without Redis, and the
 * fail-open fallback while Redis is down (RATE_LIMIT_FAIL_OPEN=true).
 */
export class LocalWindows {
  readonly #windows = new LRUCache<string, { current: number, resetAt: number }>({ max: 50_000 })

  incr (key: string, windowMs: number): { current: number, ttl: number } {
    const now = Date.now()
    let w = this.#windows.get(key)
    if (w === undefined || w.resetAt <= now) {
      w = { current: 0, resetAt: now + windowMs }
      this.#windows.set(key, w)
    }
    w.current++
    return { current: w.current, ttl: w.resetAt - now }
  }
}
