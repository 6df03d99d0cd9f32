import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { pgErrorOf } from '@switchyard/db'
import type { ApiKey } from '@switchyard/db/schema'
import { SwitchyardError } from '@switchyard/errors'
import { ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import { displayPrefix, generateApiKey, hashApiKey } from '../../auth/api-key.js'
import { insertKey, listKeys, revokeKey } from '../../repositories/api-keys.js'
import { ApiKeyIdParamsSchema, ApiKeyListSchema, ApiKeySchema, CreateApiKeyBodySchema, CreatedApiKeySchema, type ApiKeyView } from '../../schemas/api-key.js'

function view (row: ApiKey): ApiKeyView {
  return {
    id: row.id,
    object: 'api_key',
    name: row.name,
    key_prefix: row.keyPrefix,
    user_id: row.userId,
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt === null ? null : row.revokedAt.toISOString()
  }
}

const errors = { '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema }

/** Admin: create (plaintext returned once), list and revoke API keys. */
export const apiKeysAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api-keys', {
    schema: { body: CreateApiKeyBodySchema, response: { 201: CreatedApiKeySchema, ...errors } }
  }, async (request, reply) => {
    const key = generateApiKey()
    let row: ApiKey
    try {
      row = await insertKey(app.db, { name: request.body.name, keyHash: hashApiKey(key), keyPrefix: displayPrefix(key), userId: request.body.user_id })
    } catch (err) {
      // 23503 = foreign_key_violation: the user_id names no user.
      if (pgErrorOf(err)?.code === '23503') {
        throw new SwitchyardError('RESOURCE_NOT_FOUND', { details: { resource: 'user', id: request.body.user_id, param: 'user_id' } })
      }
      throw err
    }
    request.log.info({ keyId: row.id, name: row.name }, 'api key created')
    return reply.code(201).send({ ...view(row), key })
  })

  app.get('/api-keys', { schema: { response: { 200: ApiKeyListSchema, ...errors } } }, async () => {
    const rows = await listKeys(app.db)
    return { object: 'list' as const, data: rows.map(view) }
  })

  app.delete('/api-keys/:id', {
    schema: { params: ApiKeyIdParamsSchema, response: { 200: ApiKeySchema, ...errors } }
  }, async (request) => {
    const row = await revokeKey(app.db, request.params.id)
    if (row === undefined) throw new SwitchyardError('RESOURCE_NOT_FOUND', { details: { resource: 'api key', id: request.params.id } })
    // Revocation is effective at once on this instance; others drop it within KEY_CACHE_TTL_MS.
    app.keyCache.delete(row.keyHash)
    request.log.info({ keyId: row.id }, 'api key revoked')
    return view(row)
  })
}
