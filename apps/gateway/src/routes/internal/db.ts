import type { FastifyPluginAsync } from 'fastify'
import { SwitchyardError } from '@switchyard/errors'
import { probeRouteLogLevel } from '@switchyard/fastify-kit'

/**
 * GET /internal/db: one ping of the gateway's database. The health service uses it when the
 * database is the embedded PGlite, which only the gateway process can open.
 */
export const internalDbRoute: FastifyPluginAsync = async (app) => {
  app.get('/db', { logLevel: probeRouteLogLevel(app) }, async () => {
    try {
      await app.dbHandle.ping()
    } catch (err) {
      throw new SwitchyardError('DATABASE_UNAVAILABLE', { cause: err })
    }
    return { ok: true, kind: app.dbHandle.kind }
  })
}
