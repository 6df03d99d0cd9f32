import autocannon from 'autocannon'
import { completionBody } from './request-body.js'

export interface ClosedLoopResult {
  requests: number
  errors: number
  reqPerSec: number
  p50Ms: number
  p99Ms: number
}

/** Maximum throughput: `connections` clients each sending the next request as soon as one ends. */
export async function closedLoop (url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<ClosedLoopResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: completionBody(false),
    connections,
    duration: seconds
  })
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    reqPerSec: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99
  }
}
