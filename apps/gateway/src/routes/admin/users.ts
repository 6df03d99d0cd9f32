import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { evictKeys } from '../../admin/evict.js'
import { keyHashesOfUser } from '../../repositories/api-keys.js'
import { resolvePlanId } from '../../repositories/plans.js'
import { deleteUser, getUser, insertUser, listUsers, updateUser, type UserChanges } from '../../repositories/users.js'
import { IdParamsSchema } from '../../schemas/common.js'
import { overridesFromApi, overridesPatchFromApi } from '../../schemas/limits.js'
import { CreateUserBodySchema, ListUsersQuerySchema, UpdateUserBodySchema, UserListSchema, UserSchema, toUserView } from '../../schemas/user.js'
import { DeletedSchema, adminErrorResponses as errors, adminSecurity as security } from './schemas.js'

const tags = ['admin: users']

/** Admin: users (`/v1/admin/users`). Deleting a user deletes its keys. */
export const usersAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/users', {
    schema: { tags, security, summary: 'Create a user', body: CreateUserBodySchema, response: { 201: UserSchema, ...errors } }
  }, async (request, reply) => {
    const { name, email, plan, limits } = request.body
    const user = await insertUser(app.db, {
      name,
      email: email ?? null,
      planId: await resolvePlanId(app.db, plan ?? null),
      limitOverrides: overridesFromApi(limits)
    })
    request.log.info({ userId: user.id, plan: user.plan.name }, 'user created')
    return await reply.code(201).send(toUserView(user))
  })

  app.get('/users', {
    schema: { tags, security, summary: 'List users (oldest first)', querystring: ListUsersQuerySchema, response: { 200: UserListSchema, ...errors } }
  }, async (request) => {
    const { limit = '100', offset = '0' } = request.query
    const { rows, hasMore } = await listUsers(app.db, { limit: Number(limit), offset: Number(offset) })
    return { object: 'list' as const, data: rows.map(toUserView), has_more: hasMore }
  })

  app.get('/users/:id', {
    schema: { tags, security, summary: 'Get a user', params: IdParamsSchema, response: { 200: UserSchema, ...errors } }
  }, async (request) => toUserView(await getUser(app.db, request.params.id)))

  app.patch('/users/:id', {
    schema: { tags, security, summary: 'Change a user\'s name, email, plan or limit overrides', params: IdParamsSchema, body: UpdateUserBodySchema, response: { 200: UserSchema, ...errors } }
  }, async (request) => {
    const { name, email, plan, limits } = request.body
    const changes: UserChanges = {}
    if (name !== undefined) changes.name = name
    if (email !== undefined) changes.email = email
    if (plan !== undefined) changes.planId = await resolvePlanId(app.db, plan)
    if (limits !== undefined) changes.limits = overridesPatchFromApi(limits)
    const user = await updateUser(app.db, request.params.id, changes)
    evictKeys(app, await keyHashesOfUser(app.db, user.id))
    request.log.info({ userId: user.id, plan: user.plan.name }, 'user updated')
    return toUserView(user)
  })

  app.delete('/users/:id', {
    schema: { tags, security, summary: 'Delete a user and all of its keys (and their usage rows)', params: IdParamsSchema, response: { 200: DeletedSchema, ...errors } }
  }, async (request) => {
    const { user, keyHashes } = await deleteUser(app.db, request.params.id)
    evictKeys(app, keyHashes)
    request.log.info({ userId: user.id, keys: keyHashes.length }, 'user deleted')
    return { id: user.id, object: 'user', deleted: true as const, deleted_keys: keyHashes.length }
  })
}
