import type { FastifyPluginAsync } from 'fastify'

/**
 * GET /v1/openapi.json: the OpenAPI document of the public API, generated from the route schemas.
 * Public on purpose, like most API docs: it holds schemas and descriptions only, never a setting
 * or a secret. Built once, on the first request, then served from memory.
 */
export const openapiRoute: FastifyPluginAsync = async (app) => {
  let document: string | undefined
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    document ??= JSON.stringify(app.swagger())
    return await reply.type('application/json; charset=utf-8').send(document)
  })
}
