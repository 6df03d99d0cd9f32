import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { clientAbortSignal } from '@switchyard/fastify-kit'
import { callRouterWhole } from '../../proxy/call-router.js'

/** GET /v1/models: the model aliases the router's table serves, in OpenAI's list shape. */
export const modelsRoute: FastifyPluginAsyncTypebox<{ internalToken: string }> = async (app, opts) => {
  app.get('/models', async (request, reply) => {
    const signal = clientAbortSignal(reply)
    try {
      const res = await callRouterWhole(app, request, { method: 'GET', path: '/v1/models', signal, reply }, opts.internalToken)
      return reply.type('application/json; charset=utf-8').send(res.body)
    } catch (err) {
      if (signal.aborted) return reply.hijack() // the client is gone: nothing to answer
      throw err
    }
  })
}
