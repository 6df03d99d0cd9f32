import { Value } from '@sinclair/typebox/value'
import type { Dispatcher } from 'undici'
import { ProbeFailure } from '../probes/describe-error.js'
import { getOnce, joinUrl } from '../probes/http-get.js'
import { runOnce } from '../probes/run-once.js'
import type { ProbeResult } from '../probes/types.js'
import { RouterProviderListSchema, type RouterProviderList } from '../schemas/router-providers.js'

export interface RouterProvidersTarget {
  routerUrl: string
  /** HEALTH_TOKEN: read-only on the router; without it the call is not made. */
  healthToken: string | undefined
}

/** The fetch as a probe (timed, one attempt) plus what the router said when it answered. */
export interface RouterProvidersResult {
  probe: ProbeResult
  list: RouterProviderList | undefined
}

/**
 * One `GET <router>/internal/providers` through the probe dispatcher, like every other probe: one
 * attempt, HEALTH_PROBE_TIMEOUT_MS. The router answers from its own cache of provider probes and
 * never waits on a provider, so a dead provider costs this call nothing.
 */
export async function fetchRouterProviders (target: RouterProvidersTarget, dispatcher: Dispatcher, timeoutMs: number): Promise<RouterProvidersResult> {
  let list: RouterProviderList | undefined
  const probe = await runOnce({ name: 'provider-status', timeoutMs }, async () => {
    if (target.healthToken === undefined) throw new ProbeFailure('HEALTH_TOKEN is not set')
    const res = await getOnce(joinUrl(target.routerUrl, '/internal/providers'), dispatcher, timeoutMs, { 'x-internal-token': target.healthToken })
    const text = await res.body.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new ProbeFailure(`HTTP ${res.statusCode}, not JSON`)
    }
    if (res.statusCode !== 200) {
      const code = (body as { error?: { code?: unknown } } | null)?.error?.code
      throw new ProbeFailure(typeof code === 'string' ? `HTTP ${res.statusCode} ${code}` : `HTTP ${res.statusCode}`)
    }
    if (!Value.Check(RouterProviderListSchema, body)) throw new ProbeFailure('unexpected answer from the router')
    list = body
  })
  // A late answer after the deadline is not used: the report says what was known in time.
  return { probe, list: probe.ok ? list : undefined }
}
