import { readFileSync } from 'node:fs'

const fixturesDir = new URL('../fixtures/', import.meta.url)

export function readFixture (name: string): string {
  return readFileSync(new URL(name, fixturesDir), 'utf8')
}

export interface RecordedResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** Parses a raw HTTP response transcript (test/fixtures/provider-errors/*.http). */
export function readHttpFixture (name: string): RecordedResponse {
  const raw = readFixture(`provider-errors/${name}`)
  const split = raw.indexOf('\n\n')
  const head = raw.slice(0, split).split('\n')
  const statusLine = head.shift() ?? ''
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1])
  if (!Number.isInteger(status)) throw new Error(`${name}: bad status line "${statusLine}"`)
  const headers: Record<string, string> = {}
  for (const line of head) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status, headers, body: raw.slice(split + 2) }
}
