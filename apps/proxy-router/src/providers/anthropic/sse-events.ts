import { StringDecoder } from 'node:string_decoder'

// A minimal incremental Server-Sent Events reader (WHATWG event-stream rules for the fields a
// provider uses): lines end in \n, \r\n or \r; a blank line ends an event; `data:` lines join
// with \n; `event:` names it; comments (`:`) and other fields are ignored. Bytes may be cut
// anywhere, UTF-8 sequences included.

export interface SseEvent {
  /** The `event:` field; "message" when absent, as in the spec. */
  event: string
  data: string
}

export class SseEventReader {
  readonly #decoder = new StringDecoder('utf8')
  #buffer = ''
  #event = ''
  #data: string[] = []
  #hasData = false

  /** Feeds bytes; returns the events completed by them, in order. */
  push (chunk: Buffer | string): SseEvent[] {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk)
    const events: SseEvent[] = []
    let start = 0
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer.slice(start))
      if (match === null) break
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && start + match.index === this.#buffer.length - 1) break
      const line = this.#buffer.slice(start, start + match.index)
      start += match.index + match[0].length
      const event = this.#line(line)
      if (event !== undefined) events.push(event)
    }
    this.#buffer = this.#buffer.slice(start)
    return events
  }

  /** True when bytes of an unfinished event are pending (the stream was cut mid-event). */
  get pending (): boolean {
    return this.#buffer !== '' || this.#hasData
  }

  #line (line: string): SseEvent | undefined {
    if (line === '') {
      if (!this.#hasData) {
        this.#event = ''
        return undefined
      }
      const event = { event: this.#event === '' ? 'message' : this.#event, data: this.#data.join('\n') }
      this.#event = ''
      this.#data = []
      this.#hasData = false
      return event
    }
    if (line.startsWith(':')) return undefined
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') this.#event = value
    else if (field === 'data') {
      this.#data.push(value)
      this.#hasData = true
    }
    return undefined
  }
}
