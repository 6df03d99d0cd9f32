import { randomBytes } from 'node:crypto'

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomAlphanumeric (length: number): string {
  const bytes = randomBytes(length)
  let out = ''
  for (const byte of bytes) out += ALPHANUMERIC[byte % ALPHANUMERIC.length]
  return out
}

/** `chatcmpl-` + 29 alphanumerics, the shape of OpenAI's completion ids. */
export const completionId = (): string => `chatcmpl-${randomAlphanumeric(29)}`

/** `msg_` + 24 alphanumerics, the shape of Anthropic message ids. */
export const messageId = (): string => `msg_${randomAlphanumeric(24)}`

/** `req_` + 32 hex digits, the shape of OpenAI's `x-request-id` header. */
export const requestId = (): string => `req_${randomBytes(16).toString('hex')}`

/** Unix seconds, as in `created`. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/** The mock's fixed `system_fingerprint`. */
export const SYSTEM_FINGERPRINT = 'fp_mock0000001'
