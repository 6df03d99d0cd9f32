import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client'

/** Latency buckets in seconds: sub-millisecond gateway work up to multi-minute completions. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]

/**
 * One Prometheus registry per service, with the process metrics (CPU, memory, event-loop lag,
 * handles) and the HTTP metrics every service shares. Services add their own metrics to
 * `registry` (the router: upstream timings; the gateway: refusals, usage writer figures).
 * Label values are bounded: route patterns, never raw URLs, request ids or client strings.
 */
export interface ServiceMetrics {
  registry: Registry
  httpRequests: Counter<'route' | 'method' | 'status' | 'code'>
  httpDuration: Histogram<'route' | 'method' | 'status'>
  /** Where `GET /metrics` answers, once its server is listening. */
  url?: string
}

export function createServiceMetrics (service: string): ServiceMetrics {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpRequests: new Counter({
      name: 'switchyard_http_requests_total',
      help: 'Requests answered, by route pattern, method, status and error code ("" on success)',
      labelNames: ['route', 'method', 'status', 'code'],
      registers: [registry]
    }),
    httpDuration: new Histogram({
      name: 'switchyard_http_request_duration_seconds',
      help: 'Time from receiving a request to the end of its response (whole streams included)',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry]
    })
  }
}
