// Collects every route's TypeBox schemas into an OpenAPI 3.1 document (@fastify/swagger), served by
// routes/openapi.ts. Swagger only hooks route registration (onRoute) at startup; it adds nothing to
// the request path. Register before any route, or the routes registered earlier are missing.
import swagger from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { GatewayConfig } from '../config.js'

type RouteSchema = Record<string, unknown>

/** Admin routes (debug included) take the admin token; everything else under /v1 a client API key. */
function securityFor (url: string): Array<Record<string, string[]>> {
  return url.startsWith('/v1/admin') || url.startsWith('/v1/api-keys') || url.startsWith('/v1/debug') ? [{ adminToken: [] }] : [{ apiKey: [] }, { apiKeyHeader: [] }]
}

async function openapi (app: FastifyInstance, opts: { config: GatewayConfig }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchyard gateway',
        version: opts.config.version,
        description: 'OpenAI-compatible LLM gateway. Client routes take an API key; admin routes (/v1/admin, /v1/api-keys, /v1/debug) the ADMIN_TOKEN. Errors use the OpenAI error shape with a stable `code` (docs/errors.md).'
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A Switchyard API key (sk-sy-…).' },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key, in X-API-Key.' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'The gateway\'s ADMIN_TOKEN.' }
        }
      }
    },
    // Only the public API: service-to-service and load-balancer routes are not for API users.
    transform: ({ schema, url }) => {
      const base: RouteSchema = (schema as RouteSchema | undefined) ?? {}
      if (!url.startsWith('/v1/') || url === '/v1/openapi.json') return { schema: { ...base, hide: true }, url }
      return { schema: { security: securityFor(url), ...base }, url }
    }
  })
}

export const openapiPlugin = fp(openapi, { name: 'openapi', fastify: '5.x' })
