import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'

/** One envelope as the fake received it. */
export interface ReceivedEnvelope {
  project: string
  /** The body as sent (after gunzip): what a leak test searches. */
  raw: string
  /** Payloads of the envelope's `event` items, parsed. */
  events: Array<Record<string, unknown>>
}

export interface FakeSentry {
  /** A DSN pointing here: http://<public key>@127.0.0.1:<port>/<project>. */
  dsn: string
  readonly envelopes: readonly ReceivedEnvelope[]
  /** Every event received so far, in order. */
  events: () => Array<Record<string, unknown>>
  /** Resolves once at least `n` events arrived; rejects after `ms`. */
  waitForEvents: (n: number, ms: number) => Promise<void>
  close: () => Promise<void>
}

async function readBody (req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks)
  return (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8')
}

/** Envelope: a header line, then (item header line, payload line) pairs. */
function eventsOf (raw: string): Array<Record<string, unknown>> {
  const lines = raw.split('\n').filter((line) => line !== '')
  const events: Array<Record<string, unknown>> = []
  for (let i = 1; i + 1 < lines.length; i += 2) {
    const header = JSON.parse(lines[i] ?? '{}') as { type?: string }
    if (header.type === 'event') events.push(JSON.parse(lines[i + 1] ?? '{}') as Record<string, unknown>)
  }
  return events
}

/**
 * A stand-in for Sentry on 127.0.0.1: accepts `POST /api/<project>/envelope/` (what @sentry/node
 * sends) and keeps what arrived; anything else is a 404. For tests of error reporting.
 */
export async function startFakeSentry (project = '42'): Promise<FakeSentry> {
  const envelopes: ReceivedEnvelope[] = []
  const server = createServer((req, res) => {
    const match = /^\/api\/([^/]+)\/envelope\/?(\?.*)?$/.exec(req.url ?? '')
    if (req.method !== 'POST' || match === null) {
      res.writeHead(404).end()
      return
    }
    readBody(req).then((raw) => {
      envelopes.push({ project: match[1] ?? '', raw, events: eventsOf(raw) })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    }, () => { res.writeHead(400).end() })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const events = () => envelopes.flatMap((e) => e.events)
  return {
    dsn: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${port}/${project}`,
    envelopes,
    events,
    waitForEvents: async (n, ms) => {
      const deadline = Date.now() + ms
      while (events().length < n) {
        if (Date.now() > deadline) throw new Error(`fake Sentry received ${events().length} of ${n} events after ${ms} ms`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
