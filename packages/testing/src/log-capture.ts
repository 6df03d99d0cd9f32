import { Writable } from 'node:stream'

export interface LogCapture {
  /** Pass as the app's log stream (e.g. `deps.logStream`). */
  stream: Writable
  /** Every line written so far. */
  readonly lines: string[]
  /** All lines as one string, for "never contains" checks. */
  text: () => string
  /** Lines parsed as JSON (pino writes one object per line). */
  records: () => Array<Record<string, unknown>>
}

/** Collects a service's log output in memory, so a test can assert what was (not) logged. */
export function captureLogs (): LogCapture {
  const lines: string[] = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter((l) => l !== ''))
      callback()
    }
  })
  return {
    stream,
    lines,
    text: () => lines.join('\n'),
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>)
  }
}
