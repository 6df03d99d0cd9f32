import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DbHandle } from '@switchyard/db'
import { baseServerOptions, errorHandlerPlugin, lifecycleRoutesPlugin, requestLogPlugin, telemetryPlugin, useJsonBodyParser } from '@switchyard/fastify-kit'
import { buildLoggerOptions, type DestinationStream } from '@switchyard/logger'
import type { Dispatcher } from 'undici'
import { trustProxyOption, type GatewayConfig } from './config.js'
import { authRevisionPlugin } from './plugins/auth-revision.js'
import { authenticatePlugin } from './plugins/authenticate.js'
import { correlationIdPlugin } from './plugins/correlation-id.js'
import { databasePlugin } from './plugins/database.js'
import { healthClientPlugin } from './plugins/health-client.js'
import { mapDependencyErrors } from './plugins/map-dependency-errors.js'
import { openapiPlugin } from './plugins/openapi.js'
import { redisPlugin } from './plugins/redis.js'
import { routerClientPlugin } from './plugins/router-client.js'
import { bearerToken, internalToken, requireOneOf, requireSecret } from './plugins/shared-secret-guard.js'
import { registerThrottle } from './plugins/throttle.js'
import { quotaPlugin } from './quota/plugin.js'
import { registerAdminRoutes } from './routes/admin/index.js'
import { internalDbRoute } from './routes/internal/db.js'
import { openapiRoute } from './routes/openapi.js'
import { chatCompletionsRoute } from './routes/v1/chat-completions.js'
import { debugBundleRoute } from './routes/v1/debug-bundle.js'
import { debugConfigRoute } from './routes/v1/debug-config.js'
import { embeddingsRoute } from './routes/v1/embeddings.js'
import { modelsRoute } from './routes/v1/models.js'
import { registerRequestTraces } from './routes/v1/requests.js'
import { usersMeUsageRoute } from './routes/v1/users-me-usage.js'
import { usageAccountingPlugin } from './usage/accounting.js'
import { registerUsageMetrics } from './usage/usage-metrics.js'
import { traceRetentionPlugin } from './usage/trace-retention-plugin.js'
import { gatewayLogFields } from './telemetry/log-fields.js'
import { registerRefusalMetrics } from './telemetry/refusal-metrics.js'
import { registerTokenMetrics } from './telemetry/token-metrics.js'
import { usageRecorderPlugin } from './usage/usage-recorder.js'

export type { GatewayConfig } from './config.js'
export { loadGatewayConfig, GatewayEnvSchema } from './config.js'

export interface AppDeps {
  /** An open database handle (tests); otherwise one is created from config and closed on close. */
  db?: DbHandle
  /** Dispatcher for proxy-router calls (tests: MockAgent); otherwise a keep-alive Pool. */
  routerDispatcher?: Dispatcher
  /** Pretty logs (dev); defaults to "stdout is a TTY". */
  prettyLogs?: boolean
  /** Log destination instead of stdout (tests capture lines to check what is logged). */
  logStream?: DestinationStream
}

/**
 * The public gateway. Order matters (docs/conventions.md): infrastructure plugins, then domain plugins,
 * then the three route contexts, each with its own guard:
 *   /v1 (client API key + rate limit) · /v1 admin and /v1/debug (ADMIN_TOKEN) · /internal (INTERNAL_TOKEN or HEALTH_TOKEN).
 */
export async function buildApp (config: GatewayConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...baseServerOptions(config, { requestIds: 'mint' }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Which X-Forwarded-For hops to believe for request.ip (auth-failure limit, logs).
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    logger: buildLoggerOptions({ service: 'gateway', version: config.version, level: config.LOG_LEVEL, pretty: deps.prettyLogs, stream: deps.logStream })
  }).withTypeProvider<TypeBoxTypeProvider>()

  // The API speaks JSON only: without this, a text/plain body would be parsed as a string and
  // rejected as "body must be object" instead of 415 UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain')
  // Bounded nesting and a specific code for __proto__ keys (docs/adr/0010).
  // Keeps each body's text: it is what the router gets (proxy/forward-to-router.ts).
  useJsonBodyParser(app, { keepText: true })
  // One line per request: the key's and user's ids (never the key), provider, deployment,
  // attempts and tokens once the request got that far.
  await app.register(requestLogPlugin, { fields: gatewayLogFields })
  // Errors of requests that reached the router have a trace: their message points at it.
  await app.register(errorHandlerPlugin, { mapError: mapDependencyErrors, traceable: (request) => request.usageOutcome !== null })
  await app.register(telemetryPlugin, { service: 'gateway', metricsPort: config.METRICS_PORT, metricsHost: config.HOST })
  await app.register(correlationIdPlugin)
  // First of all routes: it collects the schemas of every route registered after it.
  await app.register(openapiPlugin, { config })
  await app.register(lifecycleRoutesPlugin)
  await app.register(databasePlugin, { config, handle: deps.db })
  await app.register(redisPlugin, { config })
  await app.register(routerClientPlugin, { config, dispatcher: deps.routerDispatcher })
  await app.register(healthClientPlugin, { config })
  await app.register(usageRecorderPlugin, { config })
  registerUsageMetrics(app)
  registerTokenMetrics(app)
  registerRefusalMetrics(app)
  await app.register(authenticatePlugin, { config })
  await app.register(authRevisionPlugin, { config })
  // Accounting before quota: its onResponse settles the reservation first, so the quota's
  // safety net finds it settled and arms no timer.
  await app.register(usageAccountingPlugin)
  await app.register(quotaPlugin, { config })
  await app.register(traceRetentionPlugin, { config })

  await app.register(async (clientApi) => {
    clientApi.addHook('onRequest', clientApi.authenticate)
    // Metered routes: the request rate and the token reservation in one Redis call, after the
    // model allow-list (docs/adr/0029); a key known to be over its request limit is refused on arrival.
    await clientApi.register(async (metered) => {
      metered.addHook('onRequest', metered.quota.refuseThrottled)
      metered.addHook('preHandler', metered.quota.admit)
      metered.addHook('onResponse', metered.quota.countUnadmitted)
      await metered.register(chatCompletionsRoute, { internalToken: config.INTERNAL_TOKEN })
      await metered.register(embeddingsRoute, { internalToken: config.INTERNAL_TOKEN })
    })
    // The other client routes: the same request limit and counter, through @fastify/rate-limit.
    await clientApi.register(async (unmetered) => {
      await registerThrottle(unmetered, config)
      await unmetered.register(modelsRoute, { internalToken: config.INTERNAL_TOKEN })
      await unmetered.register(usersMeUsageRoute)
    })
  }, { prefix: '/v1' })

  await app.register(async (adminApi) => {
    adminApi.addHook('onRequest', requireSecret(bearerToken, config.ADMIN_TOKEN, 'INVALID_ADMIN_TOKEN'))
    await registerAdminRoutes(adminApi)
    await adminApi.register(debugConfigRoute, { config })
    await adminApi.register(debugBundleRoute, { config })
  }, { prefix: '/v1' })

  // Either credential: the API key that made the request, or the admin token (its own guard).
  await app.register(async (tracesApi) => { await registerRequestTraces(tracesApi, config) }, { prefix: '/v1' })

  await app.register(openapiRoute, { prefix: '/v1' })

  await app.register(async (internalApi) => {
    // Only read-only routes live here (one database ping): the health service's HEALTH_TOKEN opens them too.
    internalApi.addHook('onRequest', requireOneOf(internalToken, [config.INTERNAL_TOKEN, config.HEALTH_TOKEN], 'INVALID_INTERNAL_TOKEN'))
    await internalApi.register(internalDbRoute)
  }, { prefix: '/internal' })

  return app
}
