import { performance } from 'node:perf_hooks'
import { isSwitchyardError } from '@switchyard/errors'
import type { Dispatcher } from 'undici'
import { adapterFor, isProviderType } from '../providers/registry.js'
import type { ProviderTarget } from '../providers/types.js'
import { classifyTransportError, classifyUpstreamResponse } from '../upstream/classify.js'
import { probeRequestFor } from './probe-request.js'
import { describeFailure } from './describe-failure.js'

/** The outcome of one probe: one attempt, timed, never thrown. */
export interface ProbeOutcome {
  /** `unknown`: no zero-cost probe exists for the provider's type. */
  state: 'up' | 'down' | 'unknown'
  latencyMs: number
  error?: { code: string, message: string }
}

class ProbeDeadline extends Error {
  override readonly name = 'ProbeDeadline'
}

/**
 * GET the provider's model list once, through `dispatcher` (a one-connection pool whose connect,
 * headers and body timeouts equal `timeoutMs`, see ../plugins/provider-health.ts). Up iff 2xx.
 *
 * The deadline is raced here rather than passed as the request's signal: aborting an in-flight
 * undici request can make its client open a new connection before dropping it (the same reason
 * apps/health does not abort its probes), and a probe must never add connections. The pool's own
 * timers end the request shortly after; its single connection bounds what a stuck probe holds.
 */
export async function probeProvider (provider: ProviderTarget, dispatcher: Dispatcher, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now()
  const elapsed = (): number => Math.round(performance.now() - started)
  const probe = probeRequestFor(provider)
  if (probe === undefined || !isProviderType(provider.type)) {
    return { state: 'unknown', latencyMs: 0, error: { code: 'OPERATION_NOT_SUPPORTED', message: `no model-list probe for provider type "${provider.type}"` } }
  }
  const attempt = async (): Promise<void> => {
    let res: Dispatcher.ResponseData
    try {
      res = await dispatcher.request({ method: 'GET', path: probe.path, headers: { ...probe.headers, accept: 'application/json' } })
    } catch (err) {
      throw classifyTransportError(provider.id, err)
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      await res.body.dump()
      return
    }
    let text = ''
    try {
      text = await res.body.text()
    } catch {}
    throw classifyUpstreamResponse({ provider: provider.id, status: res.statusCode, headers: res.headers, error: adapterFor(provider.type).parseError(text), body: text })
  }
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new ProbeDeadline()) }, timeoutMs)
  })
  try {
    await Promise.race([attempt(), deadline])
    return { state: 'up', latencyMs: elapsed() }
  } catch (err) {
    const latencyMs = elapsed()
    if (err instanceof ProbeDeadline) return { state: 'down', latencyMs, error: { code: 'PROVIDER_TIMEOUT', message: `no answer within ${timeoutMs} ms` } }
    if (isSwitchyardError(err)) return { state: 'down', latencyMs, error: describeFailure(err, 'model list', provider.apiKey === undefined ? [] : [provider.apiKey]) }
    return { state: 'down', latencyMs, error: { code: 'INTERNAL_ERROR', message: 'probe failed unexpectedly' } }
  } finally {
    clearTimeout(timer)
  }
}
