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

/**
 * An undici interceptor that times every call through the dispatcher it is composed onto
 * (`pool.compose(upstreamTimingInterceptor(timings, { provider: 'openai', model: 'gpt-4o' }))`):
 * one composed dispatcher per deployment over the provider's shared pool, so provider and model
 * are fixed, bounded labels and nothing is looked up per call. Errors before any response count
 * with status "error".
 */
export function upstreamTimingInterceptor (timings: UpstreamTimings, target: UpstreamTarget): Dispatcher.DispatcherComposeInterceptor {
  const { provider, model } = target
  return (dispatch) => (opts, handler) => {
    const start = process.hrtime.bigint()
    const seconds = () => Number(process.hrtime.bigint() - start) / 1e9
    let status = 'error'
    return dispatch(opts, {
      ...handler,
      onRequestStart: handler.onRequestStart?.bind(handler),
      onRequestUpgrade: handler.onRequestUpgrade?.bind(handler),
      onResponseStart (controller, statusCode, headers, statusMessage) {
        status = String(statusCode)
        timings.ttfb.observe({ provider, model, status }, seconds())
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage)
      },
      onResponseData: handler.onResponseData?.bind(handler),
      onResponseEnd (controller, trailers) {
        timings.duration.observe({ provider, model, status }, seconds())
        handler.onResponseEnd?.(controller, trailers)
      },
      onResponseError (controller, err) {
        timings.duration.observe({ provider, model, status }, seconds())
        handler.onResponseError?.(controller, err)
      }
    })
  }
}
