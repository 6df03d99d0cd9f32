/**
 * Settlements (actual usage minus reservation) waiting to reach Redis, summed per counter key.
 * Settling is never on a client's path, so instead of one script call per request the deltas
 * ride along with the next reservation that touches the same counters (the common case: a key
 * sending requests keeps reserving on the same buckets), and a short timer flushes whatever no
 * reservation picked up. Summing per key is exact: settling adds a delta to each counter
 * independently, and Redis applies a key's deltas before that key's next check either way.
 */
export class PendingSettles {
  readonly #deltas = new Map<string, number>()

  get size (): number { return this.#deltas.size }

  add (keys: readonly string[], delta: number): void {
    for (const key of keys) {
      const sum = (this.#deltas.get(key) ?? 0) + delta
      if (sum === 0) this.#deltas.delete(key)
      else this.#deltas.set(key, sum)
    }
  }

  /** The summed delta for `key` (0 if none), removed from the queue: the caller applies it now. */
  take (key: string): number {
    const delta = this.#deltas.get(key)
    if (delta === undefined) return 0
    this.#deltas.delete(key)
    return delta
  }

  /** Everything queued, grouped by Redis Cluster hash tag (one script call per slot), and cleared. */
  drain (): Map<string, Array<[string, number]>> {
    const groups = new Map<string, Array<[string, number]>>()
    for (const [key, delta] of this.#deltas) {
      const tag = /\{[^}]*\}/.exec(key)?.[0] ?? key
      let group = groups.get(tag)
      if (group === undefined) groups.set(tag, group = [])
      group.push([key, delta])
    }
    this.#deltas.clear()
    return groups
  }
}
