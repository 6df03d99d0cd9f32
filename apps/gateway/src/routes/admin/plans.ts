import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { evictKeys } from '../../admin/evict.js'
import { keyHashesOfPlan } from '../../repositories/api-keys.js'
import { deletePlan, getPlan, insertPlan, listPlans, updatePlan, type PlanValues } from '../../repositories/plans.js'
import type { PlanLimitsInput } from '../../schemas/limits.js'
import { CreatePlanBodySchema, PlanListSchema, PlanRefParamsSchema, PlanSchema, UpdatePlanBodySchema, toPlanView } from '../../schemas/plan.js'
import { DeletedSchema, adminErrorResponses as errors, adminSecurity as security } from './schemas.js'

const tags = ['admin: plans']

/** API limits → plan columns; only the limits given (absent = unchanged on update). */
function planLimitColumns (limits: PlanLimitsInput | undefined): Partial<PlanValues> {
  const out: Partial<PlanValues> = {}
  if (limits?.monthly_token_quota !== undefined) out.monthlyTokenQuota = limits.monthly_token_quota
  if (limits?.requests_per_minute !== undefined) out.requestsPerMinute = limits.requests_per_minute
  if (limits?.tokens_per_minute !== undefined) out.tokensPerMinute = limits.tokens_per_minute
  return out
}

/** Admin: plans (`/v1/admin/plans`). A plan is addressed by id or by name. */
export const plansAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/plans', {
    schema: { tags, security, summary: 'Create a plan (limits left out are unlimited)', body: CreatePlanBodySchema, response: { 201: PlanSchema, ...errors } }
  }, async (request, reply) => {
    const { name, limits } = request.body
    const row = await insertPlan(app.db, { name, monthlyTokenQuota: null, requestsPerMinute: null, tokensPerMinute: null, ...planLimitColumns(limits) })
    request.log.info({ planId: row.id, plan: row.name }, 'plan created')
    return await reply.code(201).send(toPlanView(row))
  })

  app.get('/plans', {
    schema: { tags, security, summary: 'List plans', response: { 200: PlanListSchema, ...errors } }
  }, async () => ({ object: 'list' as const, data: (await listPlans(app.db)).map(toPlanView) }))

  app.get('/plans/:plan', {
    schema: { tags, security, summary: 'Get a plan by id or name', params: PlanRefParamsSchema, response: { 200: PlanSchema, ...errors } }
  }, async (request) => toPlanView(await getPlan(app.db, request.params.plan)))

  app.patch('/plans/:plan', {
    schema: { tags, security, summary: 'Rename a plan or change its limits', params: PlanRefParamsSchema, body: UpdatePlanBodySchema, response: { 200: PlanSchema, ...errors } }
  }, async (request) => {
    const { name, limits } = request.body
    const row = await updatePlan(app.db, request.params.plan, { ...(name === undefined ? {} : { name }), ...planLimitColumns(limits) })
    evictKeys(app, await keyHashesOfPlan(app.db, row.id))
    request.log.info({ planId: row.id, plan: row.name }, 'plan updated')
    return toPlanView(row)
  })

  app.delete('/plans/:plan', {
    schema: { tags, security, summary: 'Delete a plan no user is on (409 PLAN_IN_USE otherwise)', params: PlanRefParamsSchema, response: { 200: DeletedSchema, ...errors } }
  }, async (request) => {
    const row = await deletePlan(app.db, request.params.plan)
    request.log.info({ planId: row.id, plan: row.name }, 'plan deleted')
    return { id: row.id, object: 'plan', deleted: true as const }
  })
}
