import type { SwitchyardError } from '@switchyard/errors'
import { safeProviderCode, sanitizeMessage } from './sanitize.js'

/** A failure as /internal/providers shows it. */
export interface FailureSummary {
  code: string
  message: string
}

/**
 * Built from the catalogue code and the classified details (status, provider code, cause,
 * timeout phase), never from a provider's body or a transport error's text, which can quote a
 * masked key or a host. `secrets` (the provider's key) are removed once more on the way out.
 */
export function describeFailure (err: SwitchyardError, what: string, secrets: readonly string[] = []): FailureSummary {
  const d = err.details ?? {}
  const status = typeof d['providerStatus'] === 'number' ? d['providerStatus'] : undefined
  const providerCode = safeProviderCode(d['providerCode'])
  const cause = typeof d['cause'] === 'string' ? d['cause'] : undefined
  const timeout = typeof d['timeout'] === 'string' ? d['timeout'] : undefined
  const message = status !== undefined
    ? `${what} answered HTTP ${status}${providerCode === undefined ? '' : ` (${providerCode})`}`
    : timeout !== undefined
      ? `${what} timed out (${timeout})`
      : `${what} failed: ${cause ?? err.code.toLowerCase()}`
  return { code: err.code, message: sanitizeMessage(message, secrets) }
}
