import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { baseServerOptions, errorHandlerPlugin, errorTrackingPlugin, lifecycleRoutesPlugin, requestLogPlugin, telemetryPlugin, useJsonBodyParser } from '@switchyard/fastify-kit'
import { buildLoggerOptions, type DestinationStream } from '@switchyard/logger'
import type { Dispatcher } from 'undici'
import type { RouterConfig } from './config.js'
import { routerLogFields } from './upstream/request-log-fields.js'
import { registerUpstreamMetrics } from './upstream/upstream-metrics.js'
import { cooldownsPlugin } from './plugins/cooldowns.js'
import { internalAuthPlugin } from './plugins/internal-auth.js'
import { providerHealthPlugin } from './plugins/provider-health.js'
import { upstreamPoolsPlugin } from './plugins/upstream-pools.js'
import { debugConfigRoute } from './routes/internal/debug-config.js'
import { deploymentsRoute } from './routes/internal/deployments.js'
import { providersRoute } from './routes/internal/providers.js'
import { chatCompletionsRoute } from './routes/v1/chat-completions.js'
import { embeddingsRoute } from './routes/v1/embeddings.js'
import { modelsRoute } from './routes/v1/models.js'

export { loadRouterConfig, RouterEnvSchema, type RouterConfig, type RouterEnv } from './config.js'
export { parseRoutingTable, type Deployment, type ProviderTarget, type RoutedDeployment, type RoutingTable } from './routing/routing-table.js'

export interface AppDeps {
  /** Dispatcher per provider origin (tests: MockAgent or their own Pool); otherwise one keep-alive Pool each. */
  dispatcherFor?: (origin: string) => Dispatcher
  /** Pretty logs (dev); defaults to "stdout is a TTY". */
  prettyLogs?: boolean
  /** [0, 1) for jitter and weighted choice (tests fix it); Math.random otherwise. */
  random?: () => number
  /** Dispatcher for provider probes per origin (tests); otherwise a one-connection Pool each. */
  probeDispatcherFor?: (origin: string) => Dispatcher
  /** Log destination instead of stdout (tests capture lines to check what is logged). */
  logStream?: DestinationStream
}

/** More than the gateway ever appends to a client's body (`,"max_completion_tokens":<int>`, ~45 bytes). */
const GATEWAY_ADDED_BYTES = 1024

/**
 * The internal proxy-router. Never reads process.env, never listens (server.ts does).
 * Order: error handling, lifecycle (probes, shutdown draining), error tracking, the upstream pools and cooldown
 * state, provider probes and traffic, then the /v1 and /internal contexts, which alone require the
 * internal token (/internal's read-only routes also take the health token).
 */
export async function buildApp (config: RouterConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...baseServerOptions(config, { requestIds: 'trust-caller' }),
    // Room for what the gateway adds to a body it admitted (the answer bound, max_completion_tokens).
    bodyLimit: config.BODY_LIMIT_BYTES + GATEWAY_ADDED_BYTES,
    logger: buildLoggerOptions({ service: 'proxy-router', version: config.version, level: config.LOG_LEVEL, pretty: deps.prettyLogs, stream: deps.logStream })
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Once per boot: an `optional` provider without its key serves nothing until a restart with it.
  for (const skipped of config.routes.skippedProviders) {
    app.log.warn({ provider: skipped.id, apiKeyEnv: skipped.apiKeyEnv }, `provider "${skipped.id}" skipped: ${skipped.apiKeyEnv} is not set and the provider is optional; its deployments are not routed`)
  }

  // Bounded nesting and a specific code for __proto__ keys (docs/adr/0010).
  useJsonBodyParser(app)
  // One line per request: provider, deployment and attempts of the answer (or of the final failure).
  await app.register(requestLogPlugin, { fields: routerLogFields })
  await app.register(errorHandlerPlugin)
  await app.register(telemetryPlugin, { service: 'proxy-router', metricsPort: config.METRICS_PORT, metricsHost: config.HOST })
  registerUpstreamMetrics(app, () => app.hasDecorator('upstream') ? app.upstream.poolFigures() : [])
  await app.register(lifecycleRoutesPlugin)
  await app.register(errorTrackingPlugin, { sentryDsn: config.SENTRY_DSN, release: config.version })
  await app.register(upstreamPoolsPlugin, { config, dispatcherFor: deps.dispatcherFor })
  await app.register(cooldownsPlugin, {
    settings: { threshold: config.COOLDOWN_FAILURE_THRESHOLD, windowMs: config.COOLDOWN_WINDOW_MS, durationMs: config.COOLDOWN_MS }
  })
  await app.register(providerHealthPlugin, { config, probeDispatcherFor: deps.probeDispatcherFor })

  const bootedAt = Math.floor(Date.now() / 1000)
  await app.register(async (v1) => {
    await v1.register(internalAuthPlugin, { token: config.INTERNAL_TOKEN })
    await v1.register(chatCompletionsRoute, { config, random: deps.random })
    await v1.register(embeddingsRoute, { config, random: deps.random })
    await v1.register(modelsRoute, { routes: config.routes, bootedAt })
  }, { prefix: '/v1' })
  await app.register(async (internal) => {
    // Both routes only read: the health service's HEALTH_TOKEN may call them (docs/adr/0025).
    await internal.register(internalAuthPlugin, { token: config.INTERNAL_TOKEN, healthToken: config.HEALTH_TOKEN, healthTokenRoutes: ['/internal/deployments', '/internal/providers'] })
    await internal.register(deploymentsRoute, { routes: config.routes })
    await internal.register(providersRoute, { routes: config.routes })
    await internal.register(debugConfigRoute, { config })
  }, { prefix: '/internal' })

  return app
}
