import type { Fault } from './fault.js'

/**
 * Faults waiting for the next requests: queued ones first, one per request, in order; once the
 * queue is empty, the default fault (if any) applies to every request.
 */
export class FaultQueue {
  #queue: Fault[] = []
  #defaultFault: Fault | undefined

  enqueue (faults: readonly Fault[]): void {
    this.#queue.push(...faults)
  }

  setDefault (fault: Fault | undefined): void {
    this.#defaultFault = fault
  }

  /** The fault the current request must suffer (consuming a queued one), or undefined. */
  take (): Fault | undefined {
    return this.#queue.shift() ?? this.#defaultFault
  }

  get pending (): number {
    return this.#queue.length
  }

  clear (): void {
    this.#queue = []
    this.#defaultFault = undefined
  }
}
