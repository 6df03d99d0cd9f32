import type { Dispatcher } from 'undici'
import { ProbeFailure } from './describe-error.js'
import { getOnce, joinUrl } from './http-get.js'
import { runOnce } from './run-once.js'
import type { ProbeResult } from './types.js'

/**
 * One `GET <baseUrl>/readyz` through the probe dispatcher: up iff 200. A service that is
 * draining answers 503 there, which is exactly "do not send traffic".
 */
export async function probeReady (name: string, baseUrl: string, dispatcher: Dispatcher, timeoutMs: number): Promise<ProbeResult> {
  return await runOnce({ name, timeoutMs }, async () => {
    const res = await getOnce(joinUrl(baseUrl, '/readyz'), dispatcher, timeoutMs)
    await res.body.dump()
    if (res.statusCode !== 200) throw new ProbeFailure(`HTTP ${res.statusCode}`)
  })
}
