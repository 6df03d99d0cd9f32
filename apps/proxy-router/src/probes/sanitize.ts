import { scrubText } from '@switchyard/fastify-kit'

// Messages leaving the router through /internal/providers (and from there a support bundle or a
// status page) are ours, built from codes and statuses, never a provider's body. This is the
// last pass over them anyway: no key, no URL credentials, one short line.

const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi
const MAX_LENGTH = 200

/** `text` without `secrets` (the provider keys), bearer/sk- tokens or URL credentials, cut to one short line. */
export function sanitizeMessage (text: string, secrets: readonly string[] = []): string {
  let line = (text.split('\n')[0] ?? '')
  for (const secret of secrets) {
    if (secret.length >= 4) line = line.split(secret).join('[redacted]')
  }
  line = scrubText(line).replace(urlCredentials, '$1[redacted]@')
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line
}

/** A provider's own error code (e.g. invalid_api_key) as a safe token, or undefined. */
export function safeProviderCode (code: unknown): string | undefined {
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : undefined
}
