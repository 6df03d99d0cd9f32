import type { Database } from '@switchyard/db'
import { baseServerOptions, errorHandlerPlugin } from '@switchyard/fastify-kit'
import Fastify, { type FastifyInstance } from 'fastify'
import { KeyCache } from '../auth/key-cache.js'
import { mapDependencyErrors } from '../plugins/map-dependency-errors.js'
import { registerAdminRoutes } from '../routes/admin/index.js'

export interface AdminAnswer<T = unknown> {
  status: number
  body: T
  /** What went wrong underneath a 5xx (database unreachable, not migrated), for a useful message. */
  cause?: unknown
}

export interface AdminClient {
  call: <T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: object) => Promise<AdminAnswer<T>>
  close: () => Promise<void>
}

/**
 * The admin API in-process, on the CLI's own database connection: the CLI calls the very routes
 * the gateway serves (same validation, repositories, error codes and JSON) without a running
 * gateway or an admin token; having DATABASE_URL is the operator's authority. Nothing listens.
 */
export async function openAdminClient (db: Database): Promise<AdminClient> {
  let lastCause: unknown
  const app: FastifyInstance = Fastify({ ...baseServerOptions({ KEEP_ALIVE_TIMEOUT_MS: 5000 }, { requestIds: 'mint' }), logger: false })
  await app.register(errorHandlerPlugin, {
    mapError: (err) => {
      lastCause = err
      return mapDependencyErrors(err)
    }
  })
  app.decorate('db', db)
  // The CLI caches no keys; the routes' evictions land in this throwaway cache. Running gateways
  // pick the change up through the auth_revision poll.
  app.decorate('keyCache', new KeyCache({ max: 1, negativeMax: 1, ttlMs: 1 }))
  await app.register(registerAdminRoutes, { prefix: '/v1' })
  await app.ready()
  return {
    call: async <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: object) => {
      lastCause = undefined
      const res = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body }) })
      return { status: res.statusCode, body: res.json<T>(), cause: res.statusCode >= 500 ? lastCause : undefined }
    },
    close: async () => { await app.close() }
  }
}
