import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { baseServerOptions, errorHandlerPlugin, lifecycleRoutesPlugin, requestLogPlugin } from '@switchyard/fastify-kit'
import { buildLoggerOptions } from '@switchyard/logger'
import type { Dispatcher } from 'undici'
import type { HealthConfig } from './config.js'
import { probeDispatcherPlugin } from './plugins/probe-dispatcher.js'
import { planChecks } from './probes/index.js'
import { healthRoute } from './routes/health.js'

export { HealthEnvSchema, loadHealthConfig, type HealthConfig, type HealthEnv } from './config.js'
export type { CheckReport, DatabaseKind, ProbeResult } from './probes/index.js'
export type { HealthReport } from './schemas/health-report.js'

export interface AppDeps {
  /** Dispatcher for the HTTP probes (tests: MockAgent); otherwise a short-timeout, no-keep-alive Agent. */
  probeDispatcher?: Dispatcher
  /** Pretty logs (dev); defaults to "stdout is a TTY". */
  prettyLogs?: boolean
}

/**
 * The health service. Never reads process.env, never listens (server.ts does).
 * Order (docs/conventions.md): error handling and lifecycle routes (/livez, /readyz), the probe
 * dispatcher, then the dependency report (/v1/health, /health).
 */
export async function buildApp (config: HealthConfig & { version: string }, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...baseServerOptions(config),
    logger: buildLoggerOptions({ service: 'health', version: config.version, level: config.LOG_LEVEL, pretty: deps.prettyLogs })
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(requestLogPlugin)
  await app.register(errorHandlerPlugin)
  await app.register(lifecycleRoutesPlugin)
  await app.register(probeDispatcherPlugin, { timeoutMs: config.HEALTH_PROBE_TIMEOUT_MS, dispatcher: deps.probeDispatcher })

  await app.register(healthRoute, {
    checks: planChecks(config, app.probeDispatcher),
    timeoutMs: config.HEALTH_PROBE_TIMEOUT_MS,
    version: config.version
  })

  return app
}
