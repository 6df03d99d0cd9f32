import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ErrorGrouper } from './grouper.js'
import type { SentrySink } from './sentry-sink.js'
import { markTracked } from './tracked-errors.js'
import type { GroupedLine, TrackedEvent } from './types.js'

export interface ErrorTracker {
  /**
   * One failure. Grouped by fingerprint and rate-capped (grouper.ts) before it reaches the log
   * and Sentry; never throws, never waits. `cause`, when given, is the error the request will
   * fail with: its own per-request log line then drops to info (the grouped line is the alert).
   */
  report: (event: TrackedEvent, cause?: unknown) => void
}

declare module 'fastify' {
  interface FastifyInstance {
    errorTracker: ErrorTracker
  }
}

export interface ErrorTrackingOptions {
  /** Send the grouped lines to Sentry too. Unset: logs only. */
  sentryDsn?: string | undefined
  /** Sentry release (the service version) and environment. */
  release?: string
  environment?: string
  /** Repeats of a fingerprint within this are one line; also the rate cap's window. Default 60 s. */
  windowMs?: number
  /** Lines (log and Sentry alike) per window, all fingerprints together. Default 20. */
  maxLinesPerWindow?: number
  /** How often quiet windows are closed. Default 1 s. */
  tickMs?: number
  /** How long closing waits for Sentry to send what is queued. Default 2 s. */
  sentryCloseTimeoutMs?: number
  /** Clock for the grouper (tests). */
  now?: () => number
}

function writeLine (log: FastifyBaseLogger, line: GroupedLine, windowMs: number): void {
  const fields = {
    tracked: line.kind,
    fingerprint: line.fingerprint.join(' | '),
    count: line.count,
    firstAt: new Date(line.firstAt).toISOString(),
    lastAt: new Date(line.lastAt).toISOString(),
    tags: line.tags,
    ...(line.suppressed === undefined ? {} : { suppressed: line.suppressed })
  }
  const msg = line.kind === 'repeats'
    ? `${line.message} (${line.count} more within ${Math.round(windowMs / 1000)} s)`
    : line.kind === 'suppressed'
      ? `${line.suppressed?.lines ?? 0} error-tracking lines (${line.suppressed?.events ?? 0} events) withheld by the rate cap`
      : line.message
  if (line.severity === 'error') log.error(fields, msg)
  else log.warn(fields, msg)
}

/**
 * Decorates `app.errorTracker`. Every reported failure is grouped by fingerprint: the first
 * occurrence is logged at once, repeats as one line with a count per window, and all lines
 * together are capped per window, so an outage cannot flood the logs or the alerts. With a DSN
 * the same lines go to Sentry. Closing writes what is pending and flushes Sentry.
 * Any service can register it; it depends on nothing.
 */
async function errorTracking (app: FastifyInstance, opts: ErrorTrackingOptions): Promise<void> {
  const grouper = new ErrorGrouper({
    ...(opts.windowMs === undefined ? {} : { windowMs: opts.windowMs }),
    ...(opts.maxLinesPerWindow === undefined ? {} : { maxLinesPerWindow: opts.maxLinesPerWindow }),
    ...(opts.now === undefined ? {} : { now: opts.now })
  })
  const log = app.log.child({ component: 'error-tracking' })
  // @sentry/node is loaded only when a DSN is set: importing it costs several times Fastify's own
  // import time, which every service would otherwise pay at boot for nothing.
  const sentry: SentrySink | undefined = opts.sentryDsn === undefined
    ? undefined
    : (await import('./sentry-sink.js')).createSentrySink({ dsn: opts.sentryDsn, ...(opts.release === undefined ? {} : { release: opts.release }), ...(opts.environment === undefined ? {} : { environment: opts.environment }) })

  const write = (lines: GroupedLine[]): void => {
    for (const line of lines) {
      writeLine(log, line, grouper.windowMs)
      sentry?.send(line)
    }
  }

  // Closes quiet windows even when no new failure arrives; unref'd so it never holds the process.
  const timer = setInterval(() => { write(grouper.tick()) }, opts.tickMs ?? 1000)
  timer.unref()

  app.decorate('errorTracker', {
    report: (event, cause) => {
      if (cause !== undefined) markTracked(cause)
      write(grouper.record(event))
    }
  } satisfies ErrorTracker)

  app.addHook('onClose', async () => {
    clearInterval(timer)
    write(grouper.drain())
    await sentry?.close(opts.sentryCloseTimeoutMs ?? 2000)
  })
}

export const errorTrackingPlugin = fp(errorTracking, { name: 'switchyard-error-tracking', fastify: '5.x' })
