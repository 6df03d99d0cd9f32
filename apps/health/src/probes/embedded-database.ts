import type { Dispatcher } from 'undici'
import { ProbeFailure } from './describe-error.js'
import { getOnce, joinUrl } from './http-get.js'
import { runOnce } from './run-once.js'
import type { ProbeResult } from './types.js'

export interface EmbeddedDatabaseTarget {
  gatewayUrl: string
  /** HEALTH_TOKEN; without it the gateway refuses, so the probe reports that instead of calling. */
  healthToken: string | undefined
}

interface GatewayDbAnswer {
  ok?: unknown
  error?: { code?: unknown }
}

function parseAnswer (text: string): GatewayDbAnswer {
  try {
    const body: unknown = JSON.parse(text)
    return typeof body === 'object' && body !== null ? body as GatewayDbAnswer : {}
  } catch {
    return {}
  }
}

/**
 * Without DATABASE_URL the database is the gateway's embedded PGlite, which only the gateway
 * process can open, so it is probed through `GET <gateway>/internal/db` (one ping there).
 * The gateway answers 200 `{ ok: true }` or an error envelope (503 DATABASE_UNAVAILABLE,
 * 401 INVALID_INTERNAL_TOKEN), whose code is reported.
 */
export async function probeEmbeddedDatabase (target: EmbeddedDatabaseTarget, dispatcher: Dispatcher, timeoutMs: number): Promise<ProbeResult> {
  return await runOnce({ name: 'database', kind: 'embedded', timeoutMs }, async () => {
    if (target.healthToken === undefined) throw new ProbeFailure('HEALTH_TOKEN is not set')
    const res = await getOnce(joinUrl(target.gatewayUrl, '/internal/db'), dispatcher, timeoutMs, { 'x-internal-token': target.healthToken })
    const answer = parseAnswer(await res.body.text())
    if (res.statusCode !== 200) {
      // The catalogue code (e.g. DATABASE_UNAVAILABLE) says more than the status alone.
      const code = answer.error?.code
      throw new ProbeFailure(typeof code === 'string' ? `HTTP ${res.statusCode} ${code}` : `HTTP ${res.statusCode}`)
    }
    if (answer.ok !== true) throw new ProbeFailure('unexpected answer from the gateway')
  })
}
