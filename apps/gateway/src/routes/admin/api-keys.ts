import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SwitchyardError, isSwitchyardError } from '@switchyard/errors'
import { evictKeys } from '../../admin/evict.js'
import { issueKey } from '../../admin/keys.js'
import { listKeys, revokeKey } from '../../repositories/api-keys.js'
import { ApiKeyIdParamsSchema, ApiKeyListSchema, ApiKeySchema, CreateApiKeyBodySchema, CreatedApiKeySchema, toApiKeyView } from '../../schemas/api-key.js'
import { adminErrorResponses as errors, adminSecurity as security } from './schemas.js'

const tags = ['admin: keys']

/**
 * Admin: `/v1/api-keys`, the original key routes: create (plaintext returned once), list every
 * key, revoke. Kept as they were (including RESOURCE_NOT_FOUND for an unknown user_id) and
 * extended compatibly with expiry, allowed models and limit overrides.
 */
export const apiKeysAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api-keys', {
    schema: { tags, security, summary: 'Create a key (user_id absent = the default user); plaintext shown once', body: CreateApiKeyBodySchema, response: { 201: CreatedApiKeySchema, ...errors } }
  }, async (request, reply) => {
    const { user_id: userId, ...input } = request.body
    let issued
    try {
      issued = await issueKey(app.db, userId ?? null, input)
    } catch (err) {
      if (isSwitchyardError(err) && err.code === 'USER_NOT_FOUND') {
        throw new SwitchyardError('RESOURCE_NOT_FOUND', { details: { resource: 'user', id: userId, param: 'user_id' } })
      }
      throw err
    }
    request.log.info({ keyId: issued.row.id, name: issued.row.name }, 'api key created')
    return await reply.code(201).send({ ...toApiKeyView(issued.row), key: issued.key })
  })

  app.get('/api-keys', {
    schema: { tags, security, summary: 'List every key (never the key or its hash)', response: { 200: ApiKeyListSchema, ...errors } }
  }, async () => {
    const rows = await listKeys(app.db)
    return { object: 'list' as const, data: rows.map(toApiKeyView) }
  })

  app.delete('/api-keys/:id', {
    schema: { tags, security, summary: 'Revoke a key (idempotent)', params: ApiKeyIdParamsSchema, response: { 200: ApiKeySchema, ...errors } }
  }, async (request) => {
    const row = await revokeKey(app.db, request.params.id)
    if (row === undefined) throw new SwitchyardError('RESOURCE_NOT_FOUND', { details: { resource: 'api key', id: request.params.id } })
    // Effective at once on this replica; the others see it through the auth_revision poll.
    evictKeys(app, [row.keyHash])
    request.log.info({ keyId: row.id }, 'api key revoked')
    return toApiKeyView(row)
  })
}
