import type { Dispatcher } from 'undici'
import { Histogram, type Registry } from 'prom-client'
import { LATENCY_BUCKETS } from './service-metrics.js'

export type UpstreamLabels = 'provider' | 'model' | 'status'

/** What one composed dispatcher calls: bounded values from the routing table, never client strings. */
export interface UpstreamTarget {
  provider: string
  model: string
}

export interface UpstreamTimings {
  /** Time to the response headers (the provider's or router's time to first byte). */
  ttfb: Histogram<UpstreamLabels>
  /** Time to the end of the response body. */
  duration: Histogram<UpstreamLabels>
}

export function createUpstreamTimings (registry: Registry, prefix: string): UpstreamTimings {
  return {
    ttfb: new Histogram({ name: `${prefix}_ttfb_seconds`, help: 'Time to response headers of an outbound call', labelNames: ['provider', 'model', 'status'], buckets: LATENCY_BUCKETS, registers: [registry] }),
    duration: new Histogram({ name: `${prefix}_duration_seconds`, help: 'Time to the end of an outbound call (whole streams included)', labelNames: ['provider', 'model', 'status'], buckets: LATENCY_BUCKETS, registers: [registry] })
  }
}

type Labels = Record<UpstreamLabels, string>

/**
 * Times one call and passes every event on to the handler it wraps. A class rather than an
 * object literal spread over the handler with bound methods: one allocation per call instead
 * of six, and no per-call closures (docs/adr/0031).
 */
class TimedHandler implements Dispatcher.DispatchHandler {
  readonly #inner: Dispatcher.DispatchHandler
  readonly #timings: UpstreamTimings
  readonly #labelsFor: (status: string) => Labels
  readonly #start = process.hrtime.bigint()
  #labels: Labels

  constructor (inner: Dispatcher.DispatchHandler, timings: UpstreamTimings, labelsFor: (status: string) => Labels) {
    this.#inner = inner
    this.#timings = timings
    this.#labelsFor = labelsFor
    this.#labels = labelsFor('error')
  }

  #seconds (): number {
    return Number(process.hrtime.bigint() - this.#start) / 1e9
  }

  onRequestStart (controller: Dispatcher.DispatchController, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context)
  }

  onRequestUpgrade (controller: Dispatcher.DispatchController, statusCode: number, headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[2], socket: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[3]): void {
    this.#inner.onRequestUpgrade?.(controller, statusCode, headers, socket)
  }

  onResponseStart (controller: Dispatcher.DispatchController, statusCode: number, headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2], statusMessage?: string): void {
    this.#labels = this.#labelsFor(String(statusCode))
    this.#timings.ttfb.observe(this.#labels, this.#seconds())
    this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage)
  }

  onResponseData (controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#inner.onResponseData?.(controller, chunk)
  }

  onResponseEnd (controller: Dispatcher.DispatchController, trailers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>[1]): void {
    this.#timings.duration.observe(this.#labels, this.#seconds())
    this.#inner.onResponseEnd?.(controller, trailers)
  }

  onResponseError (controller: Dispatcher.DispatchController, err: Error): void {
    this.#timings.duration.observe(this.#labels, this.#seconds())
    this.#inner.onResponseError?.(controller, err)
  }
}

/**
 * An undici interceptor that times every call through the dispatcher it is composed onto
 * (`pool.compose(upstreamTimingInterceptor(timings, { provider: 'openai', model: 'gpt-4o' }))`):
 * one composed dispatcher per deployment over the provider's shared pool, so provider and model
 * are fixed, bounded labels and nothing is looked up per call. Errors before any response count
 * with status "error". The label objects are made once per status seen, not per call.
 */
export function upstreamTimingInterceptor (timings: UpstreamTimings, target: UpstreamTarget): Dispatcher.DispatcherComposeInterceptor {
  const { provider, model } = target
  const byStatus = new Map<string, Labels>()
  const labelsFor = (status: string): Labels => {
    let labels = byStatus.get(status)
    if (labels === undefined) {
      labels = { provider, model, status }
      byStatus.set(status, labels)
    }
    return labels
  }
  return (dispatch) => (opts, handler) => dispatch(opts, new TimedHandler(handler, timings, labelsFor))
}
