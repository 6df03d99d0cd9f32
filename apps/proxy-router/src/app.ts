import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { baseServerOptions, errorHandlerPlugin, lifecycleRoutesPlugin, requestLogPlugin } from '@switchyard/fastify-kit'
import { buildLoggerOptions } from '@switchyard/logger'
import type { Dispatcher } from 'undici'
import type { RouterConfig } from './config.js'
import { internalAuthPlugin } from './plugins/internal-auth.js'
import { upstreamPoolsPlugin } from './plugins/upstream-pools.js'
import { chatCompletionsRoute } from './routes/v1/chat-completions.js'
import { modelsRoute } from './routes/v1/models.js'

export { loadRouterConfig, RouterEnvSchema, type RouterConfig, type RouterEnv } from './config.js'
export { parseRoutingTable, type Deployment, type ProviderTarget, type RoutingTable } from './routing/routing-table.js'

export interface AppDeps {
  /** Dispatcher per provider origin (tests: MockAgent or their own Pool); otherwise one keep-alive Pool each. */
  dispatcherFor?: (origin: string) => Dispatcher
  /** Pretty logs (dev); defaults to "stdout is a TTY". */
  prettyLogs?: boolean
}

/**
 * The internal proxy-router. Never reads process.env, never listens (server.ts does).
 * Order (docs/conventions.md): error handling, lifecycle (probes, shutdown draining), the upstream pools,
 * then the /v1 context, which alone requires the internal token.
 */
export async function buildApp (config: RouterConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...baseServerOptions(config),
    bodyLimit: config.BODY_LIMIT_BYTES,
    logger: buildLoggerOptions({ service: 'proxy-router', version: config.version, level: config.LOG_LEVEL, pretty: deps.prettyLogs })
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(requestLogPlugin)
  await app.register(errorHandlerPlugin)
  await app.register(lifecycleRoutesPlugin)
  await app.register(upstreamPoolsPlugin, { config, dispatcherFor: deps.dispatcherFor })

  const bootedAt = Math.floor(Date.now() / 1000)
  await app.register(async (v1) => {
    await v1.register(internalAuthPlugin, { token: config.INTERNAL_TOKEN })
    await v1.register(chatCompletionsRoute, { routes: config.routes })
    await v1.register(modelsRoute, { routes: config.routes, bootedAt })
  }, { prefix: '/v1' })

  return app
}
