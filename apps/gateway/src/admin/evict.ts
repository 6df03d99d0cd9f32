import type { FastifyInstance } from 'fastify'

/**
 * Drops keys from this replica's key cache right after an admin change, so the change holds here
 * at once. Other replicas (and changes made with the CLI or SQL) are covered by the auth_revision
 * poll, within its interval.
 */
export function evictKeys (app: FastifyInstance, keyHashes: Iterable<string>): void {
  for (const hash of keyHashes) app.keyCache.delete(hash)
}
