import { NodeClient, Scope, defaultStackParser, makeNodeTransport, type SeverityLevel } from '@sentry/node'
import { scrubEvent } from './scrub.js'
import type { GroupedLine } from './types.js'

export interface SentrySinkOptions {
  dsn: string
  release?: string
  environment?: string
}

export interface SentrySink {
  send: (line: GroupedLine) => void
  /** Sends what is queued (up to `timeoutMs`) and releases the client. */
  close: (timeoutMs: number) => Promise<void>
}

/**
 * Grouped lines → Sentry events, through a client of our own instead of `Sentry.init()`: no
 * global hub, no auto-instrumentation (OpenTelemetry, http, console), no global handlers, so a
 * service that registers the plugin twice in tests, or never, is unaffected. One line is one
 * event; Sentry groups them again by our fingerprint.
 */
export function createSentrySink (opts: SentrySinkOptions): SentrySink {
  const client = new NodeClient({
    dsn: opts.dsn,
    ...(opts.release === undefined ? {} : { release: opts.release }),
    ...(opts.environment === undefined ? {} : { environment: opts.environment }),
    transport: makeNodeTransport,
    stackParser: defaultStackParser,
    integrations: [],
    sendClientReports: false,
    enableRuntimeChannelInjection: false,
    beforeSend: scrubEvent
  })
  return {
    send: (line) => {
      const level: SeverityLevel = line.severity
      const tags: Record<string, string> = { tracked: line.kind }
      for (const [name, value] of Object.entries(line.tags)) if (value !== undefined) tags[name] = String(value)
      client.captureEvent({
        level,
        message: line.message,
        fingerprint: [...line.fingerprint],
        tags,
        extra: {
          count: line.count,
          firstAt: new Date(line.firstAt).toISOString(),
          lastAt: new Date(line.lastAt).toISOString(),
          ...(line.suppressed === undefined ? {} : { suppressedLines: line.suppressed.lines, suppressedEvents: line.suppressed.events })
        },
        timestamp: line.lastAt / 1000
      }, undefined, new Scope())
    },
    close: async (timeoutMs) => { await client.close(timeoutMs) }
  }
}
