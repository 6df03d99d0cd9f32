import type { FailureSummary } from './describe-failure.js'

// Real traffic per provider over a recent window, fed by the attempt loop (every served and every
// failed attempt). Per call: an index computation and two integer increments, no allocation but
// the failure's summary. Buckets of BUCKET_MS in a ring; a bucket is cleared when reused.

const BUCKET_MS = 10_000

export interface TrafficSnapshot {
  requests: number
  failures: number
  /** failures / requests over the window, 0 without requests. */
  errorRate: number
  lastError: (FailureSummary & { at: number }) | undefined
}

class ProviderTraffic {
  readonly epochs: Float64Array
  readonly requests: Uint32Array
  readonly failures: Uint32Array
  lastError: (FailureSummary & { at: number }) | undefined

  constructor (buckets: number) {
    this.epochs = new Float64Array(buckets).fill(-1)
    this.requests = new Uint32Array(buckets)
    this.failures = new Uint32Array(buckets)
  }
}

export class TrafficStats {
  readonly #buckets: number
  readonly #now: () => number
  readonly #providers = new Map<string, ProviderTraffic>()

  /** `windowMs`: how far back requests and failures count (rounded to whole 10 s buckets). */
  constructor (ids: readonly string[], windowMs = 300_000, now: () => number = Date.now) {
    this.#buckets = Math.max(1, Math.ceil(windowMs / BUCKET_MS))
    this.#now = now
    for (const id of ids) this.#providers.set(id, new ProviderTraffic(this.#buckets))
  }

  served (provider: string): void {
    const t = this.#providers.get(provider)
    if (t === undefined) return
    const slot = this.#slot(t, this.#now())
    t.requests[slot] = (t.requests[slot] ?? 0) + 1
  }

  failed (provider: string, failure: FailureSummary): void {
    const t = this.#providers.get(provider)
    if (t === undefined) return
    const now = this.#now()
    const slot = this.#slot(t, now)
    t.requests[slot] = (t.requests[slot] ?? 0) + 1
    t.failures[slot] = (t.failures[slot] ?? 0) + 1
    t.lastError = { ...failure, at: now }
  }

  snapshot (provider: string): TrafficSnapshot {
    const t = this.#providers.get(provider)
    if (t === undefined) return { requests: 0, failures: 0, errorRate: 0, lastError: undefined }
    const current = Math.floor(this.#now() / BUCKET_MS)
    let requests = 0
    let failures = 0
    for (let i = 0; i < this.#buckets; i++) {
      const epoch = t.epochs[i] ?? -1
      if (epoch <= current - this.#buckets || epoch > current) continue
      requests += t.requests[i] ?? 0
      failures += t.failures[i] ?? 0
    }
    return { requests, failures, errorRate: requests === 0 ? 0 : failures / requests, lastError: t.lastError }
  }

  /** The ring slot of `now`, cleared first if it still holds an older bucket. */
  #slot (t: ProviderTraffic, now: number): number {
    const epoch = Math.floor(now / BUCKET_MS)
    const slot = epoch % this.#buckets
    if (t.epochs[slot] !== epoch) {
      t.epochs[slot] = epoch
      t.requests[slot] = 0
      t.failures[slot] = 0
    }
    return slot
  }
}
