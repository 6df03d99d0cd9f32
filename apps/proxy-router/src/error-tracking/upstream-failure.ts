import { SwitchyardError } from '@switchyard/errors'
import type { ErrorTracker, Severity, TrackedEvent } from '@switchyard/fastify-kit'
import type { Deployment } from '../providers/types.js'

// One upstream failure → one tracked event (fastify-kit error tracking groups and rate-caps them).
// Pure apart from the report call; takes the already classified error, so what is tracked is
// exactly what the client is told.

/** 429 and other 4xx: worth a look (a key, a quota, a client's request). 5xx and no answer at all: an outage. */
export function severityOf (providerStatus: number | undefined): Severity {
  return providerStatus !== undefined && providerStatus >= 400 && providerStatus < 500 ? 'warning' : 'error'
}

/** The event for a failed attempt: fingerprint provider + status + catalogue code. */
export function upstreamFailureEvent (err: unknown, deployment: Deployment, attempt: number): TrackedEvent {
  const provider = deployment.provider.id
  const details = err instanceof SwitchyardError ? err.details ?? {} : {}
  const code = err instanceof SwitchyardError ? err.code : 'INTERNAL_ERROR'
  const status = typeof details['providerStatus'] === 'number' ? details['providerStatus'] : undefined
  const timeout = typeof details['timeout'] === 'string' ? details['timeout'] : undefined
  const providerCode = typeof details['providerCode'] === 'string' ? details['providerCode'] : undefined
  return {
    severity: severityOf(status),
    message: `provider "${provider}" failed: ${code}${status === undefined ? '' : ` (HTTP ${status})`}`,
    fingerprint: ['upstream', provider, status === undefined ? 'no-answer' : String(status), code],
    tags: { provider, providerStatus: status, code, providerCode, timeout, deployment: deployment.model, attempt }
  }
}

/** The one line call sites use; the error itself is marked so its per-request log stays at info. */
export function trackUpstreamFailure (tracker: ErrorTracker, err: unknown, deployment: Deployment, attempt: number): void {
  tracker.report(upstreamFailureEvent(err, deployment, attempt), err)
}
