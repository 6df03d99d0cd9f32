import { FaultQueue } from './faults/fault-queue.js'
import type { MockProviderStats, RecordedRequest } from './types.js'

/** Everything a mock provider remembers between requests; `reset()` empties it. */
export class MockState {
  readonly faults = new FaultQueue()
  #requests: RecordedRequest[] = []
  #requestCount = 0
  #connectionCount = 0
  #openConnections = 0
  #peakOpenConnections = 0
  readonly #maxRecorded: number

  constructor (maxRecorded: number) {
    this.#maxRecorded = maxRecorded
  }

  record (request: RecordedRequest): void {
    this.#requestCount++
    this.#requests.push(request)
    // Bounded so a benchmark's hundreds of thousands of requests do not grow the heap.
    if (this.#requests.length > this.#maxRecorded) this.#requests.shift()
  }

  countConnection (): void {
    this.#connectionCount++
    this.#openConnections++
    this.#peakOpenConnections = Math.max(this.#peakOpenConnections, this.#openConnections)
  }

  connectionClosed (): void {
    this.#openConnections--
  }

  /** Connections open now and the most open at once since start (or resetPeakConnections). */
  get connectionLoad (): { openConnections: number, peakOpenConnections: number } {
    return { openConnections: this.#openConnections, peakOpenConnections: this.#peakOpenConnections }
  }

  resetPeakConnections (): void {
    this.#peakOpenConnections = this.#openConnections
  }

  get requests (): readonly RecordedRequest[] {
    return [...this.#requests]
  }

  get stats (): MockProviderStats {
    return { requests: this.#requestCount, connections: this.#connectionCount }
  }

  reset (): void {
    this.faults.clear()
    this.#requests = []
    this.#requestCount = 0
    this.#connectionCount = 0
    this.#peakOpenConnections = this.#openConnections
  }
}
