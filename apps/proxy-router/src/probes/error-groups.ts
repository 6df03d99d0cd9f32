import type { FailureSummary } from './describe-failure.js'

// Recent upstream failures grouped by (code, provider), for /internal/providers and from there the
// status page and support bundles. Bounded: at most MAX_GROUPS groups, a group unseen for
// RETENTION_MS is dropped, the least recently seen goes first when full.

const MAX_GROUPS = 100
const RETENTION_MS = 60 * 60 * 1000

export interface ErrorGroup {
  code: string
  provider: string | null
  count: number
  firstSeen: number
  lastSeen: number
  /** The latest occurrence's message. */
  message: string
}

export class ErrorGroups {
  readonly #groups = new Map<string, ErrorGroup>()
  readonly #now: () => number

  constructor (now: () => number = Date.now) {
    this.#now = now
  }

  record (provider: string | null, failure: FailureSummary): void {
    const now = this.#now()
    const key = `${failure.code}\u0000${provider ?? ''}`
    const group = this.#groups.get(key)
    if (group !== undefined) {
      group.count++
      group.lastSeen = now
      group.message = failure.message
      // Map order = least recently seen first: move it to the end.
      this.#groups.delete(key)
      this.#groups.set(key, group)
      return
    }
    if (this.#groups.size >= MAX_GROUPS) {
      const oldest = this.#groups.keys().next().value
      if (oldest !== undefined) this.#groups.delete(oldest)
    }
    this.#groups.set(key, { code: failure.code, provider, count: 1, firstSeen: now, lastSeen: now, message: failure.message })
  }

  /** Groups seen within the retention, most recently seen first. */
  list (): ErrorGroup[] {
    const cutoff = this.#now() - RETENTION_MS
    for (const [key, g] of this.#groups) {
      if (g.lastSeen >= cutoff) break
      this.#groups.delete(key)
    }
    return [...this.#groups.values()].reverse().map((g) => ({ ...g }))
  }
}
