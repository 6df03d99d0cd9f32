import { hash, randomBytes } from 'node:crypto'

/** Every key Switchyard issues starts with this, so leaked keys are recognisable by secret scanners. */
export const API_KEY_PREFIX = 'sk-sy-'

/** A new key: 32 random bytes, base64url. Only its hash is stored; the plaintext is shown once. */
export function generateApiKey (): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url')
}

/**
 * SHA-256, not a password hash: keys carry 256 bits of randomness, so a slow KDF adds nothing
 * against brute force and would cost milliseconds on every request. See docs/adr/0003.
 */
export function hashApiKey (key: string): string {
  // One-shot crypto.hash: no Hash object per request (this runs on every authenticated call).
  return hash('sha256', key, 'hex')
}

/** The first characters, stored for display ("sk-sy-AbC1…") so a key can be recognised in lists. */
export function displayPrefix (key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6)
}

/**
 * Whether a string can be a key this gateway issued: the prefix and a base64url body of 43
 * characters (32 random bytes) or 32 (24 bytes: the `pnpm dev` key). Anything else is refused
 * before hashing, caching or a database lookup, so junk (10 KB headers, SQL, unicode) costs nothing.
 */
export function isPlausibleApiKey (key: string): boolean {
  return plausibleKey.test(key)
}
const plausibleKey = /^sk-sy-(?:[A-Za-z0-9_-]{32}|[A-Za-z0-9_-]{43})$/

/** The key a client sent: `Authorization: Bearer <key>` first, then `X-API-Key: <key>`. */
export function extractApiKey (headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers['authorization']
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth)
    if (match?.[1] !== undefined) return match[1]
  }
  const xKey = headers['x-api-key']
  if (typeof xKey === 'string' && xKey.trim() !== '') return xKey.trim()
  return undefined
}
