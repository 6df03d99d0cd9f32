import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Reads a streamed body the way an SSE client does, one `data:` event at a time, no matter how
 * TCP split or merged the bytes; and can tell "more bytes arrived" from "silence".
 */
export class SseReader {
  readonly #source: AsyncIterator<Buffer>
  #buffer = ''
  #pending: Promise<IteratorResult<Buffer>> | undefined

  constructor (body: AsyncIterable<Buffer>) {
    this.#source = body[Symbol.asyncIterator]()
  }

  #pull (): Promise<IteratorResult<Buffer>> {
    if (this.#pending === undefined) {
      const next = this.#source.next()
      next.catch(() => {}) // observed by whoever awaits it; never an unhandled rejection
      this.#pending = next
    }
    return this.#pending
  }

  /** The next event's data (`[DONE]` included), or undefined at a clean end of the body. */
  async next (): Promise<string | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n')
      if (end !== -1) {
        const event = this.#buffer.slice(0, end)
        this.#buffer = this.#buffer.slice(end + 2)
        if (!event.startsWith('data: ')) throw new Error(`not an SSE data event: ${event}`)
        return event.slice('data: '.length)
      }
      const result = await this.#pull()
      this.#pending = undefined
      if (result.done === true) {
        if (this.#buffer !== '') throw new Error(`body ended inside an event: ${this.#buffer}`)
        return undefined
      }
      this.#buffer += result.value.toString('utf8')
    }
  }

  /** Every remaining event until the end of the body. */
  async rest (): Promise<string[]> {
    const events: string[] = []
    for (let e = await this.next(); e !== undefined; e = await this.next()) events.push(e)
    return events
  }

  /** True if any byte arrives within `ms` (partial events included), false on silence. */
  async bytesWithin (ms: number): Promise<boolean> {
    if (this.#buffer !== '') return true
    const winner = await Promise.race([
      this.#pull().then(() => 'bytes', () => 'bytes'),
      sleep(ms).then(() => 'silence')
    ])
    return winner === 'bytes'
  }

  /** Settles when the body ends or fails; resolves to the error, if any. */
  async outcome (): Promise<Error | undefined> {
    try {
      for (;;) {
        const result = await this.#pull()
        this.#pending = undefined
        if (result.done === true) return undefined
      }
    } catch (err) {
      return err as Error
    }
  }
}
