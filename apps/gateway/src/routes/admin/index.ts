import type { FastifyInstance } from 'fastify'
import { apiKeysAdminRoutes } from './api-keys.js'
import { plansAdminRoutes } from './plans.js'
import { userKeysAdminRoutes } from './user-keys.js'
import { usersAdminRoutes } from './users.js'

/**
 * Every admin route, under the prefix of `scope` (the gateway: `/v1`, behind the ADMIN_TOKEN
 * guard). The CLI registers the same routes in-process, so both share validation and behaviour.
 * Needs `db` and `keyCache` decorated.
 */
export async function registerAdminRoutes (scope: FastifyInstance): Promise<void> {
  await scope.register(apiKeysAdminRoutes)
  await scope.register(async (manage) => {
    await manage.register(plansAdminRoutes)
    await manage.register(usersAdminRoutes)
    await manage.register(userKeysAdminRoutes)
  }, { prefix: '/admin' })
}
