import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SwitchyardError } from '@switchyard/errors'
import { evictKeys } from '../../admin/evict.js'
import { issueKey, keyChanges } from '../../admin/keys.js'
import { getUserKey, listKeys, revokeKey, updateKey } from '../../repositories/api-keys.js'
import { getUser } from '../../repositories/users.js'
import { ApiKeyListSchema, ApiKeySchema, CreatedApiKeySchema, CreateUserKeyBodySchema, UpdateApiKeyBodySchema, UserKeyParamsSchema, toApiKeyView } from '../../schemas/api-key.js'
import { IdParamsSchema } from '../../schemas/common.js'
import { adminErrorResponses as errors, adminSecurity as security } from './schemas.js'

const tags = ['admin: keys']

/** Admin: a user's keys (`/v1/admin/users/{id}/keys`): create (plaintext once), list, get, update, revoke. */
export const userKeysAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/users/:id/keys', {
    schema: { tags, security, summary: 'Create a key for the user; the response holds the plaintext key, shown once', params: IdParamsSchema, body: CreateUserKeyBodySchema, response: { 201: CreatedApiKeySchema, ...errors } }
  }, async (request, reply) => {
    const user = await getUser(app.db, request.params.id)
    const { row, key } = await issueKey(app.db, user.id, request.body)
    request.log.info({ keyId: row.id, userId: user.id }, 'api key created')
    return await reply.code(201).send({ ...toApiKeyView(row), key })
  })

  app.get('/users/:id/keys', {
    schema: { tags, security, summary: 'List the user\'s keys (never the key or its hash)', params: IdParamsSchema, response: { 200: ApiKeyListSchema, ...errors } }
  }, async (request) => {
    const user = await getUser(app.db, request.params.id)
    return { object: 'list' as const, data: (await listKeys(app.db, user.id)).map(toApiKeyView) }
  })

  app.get('/users/:id/keys/:keyId', {
    schema: { tags, security, summary: 'Get one of the user\'s keys', params: UserKeyParamsSchema, response: { 200: ApiKeySchema, ...errors } }
  }, async (request) => {
    const user = await getUser(app.db, request.params.id)
    return toApiKeyView(await getUserKey(app.db, user.id, request.params.keyId))
  })

  app.patch('/users/:id/keys/:keyId', {
    schema: { tags, security, summary: 'Change a key\'s name, expiry, allowed models or limit overrides', params: UserKeyParamsSchema, body: UpdateApiKeyBodySchema, response: { 200: ApiKeySchema, ...errors } }
  }, async (request) => {
    const user = await getUser(app.db, request.params.id)
    const row = await updateKey(app.db, user.id, request.params.keyId, keyChanges(request.body))
    evictKeys(app, [row.keyHash])
    request.log.info({ keyId: row.id, userId: user.id }, 'api key updated')
    return toApiKeyView(row)
  })

  app.delete('/users/:id/keys/:keyId', {
    schema: { tags, security, summary: 'Revoke a key (kept for audit and usage history; idempotent)', params: UserKeyParamsSchema, response: { 200: ApiKeySchema, ...errors } }
  }, async (request) => {
    const user = await getUser(app.db, request.params.id)
    const row = await revokeKey(app.db, request.params.keyId, user.id)
    if (row === undefined) throw new SwitchyardError('API_KEY_NOT_FOUND', { details: { id: request.params.keyId } })
    evictKeys(app, [row.keyHash])
    request.log.info({ keyId: row.id, userId: user.id }, 'api key revoked')
    return toApiKeyView(row)
  })
}
