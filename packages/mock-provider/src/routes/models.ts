import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'
import { modelNotFoundBody } from '../openai/error-bodies.js'
import type { ModelList, ModelObject } from '../openai/wire.js'
import type { RouteOptions } from './context.js'

/** A fixed `created` so model listings are identical from run to run. */
export const MODEL_CREATED = 1_700_000_000
export const MODEL_OWNER = 'switchyard-mock'

const modelObject = (id: string): ModelObject => ({ id, object: 'model', created: MODEL_CREATED, owned_by: MODEL_OWNER })

/** `GET /v1/models` and `GET /v1/models/:model`: the configured models (faults do not apply). */
export const modelsRoute: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get('/models', async (): Promise<ModelList> => ({ object: 'list', data: ctx.models.map(modelObject) }))

  app.get<{ Params: { model: string } }>('/models/:model', {
    schema: { params: Type.Object({ model: Type.String() }) }
  }, async (request, reply) => {
    const { model } = request.params
    if (!ctx.models.includes(model)) return reply.code(404).send(modelNotFoundBody(model))
    return modelObject(model)
  })
}
