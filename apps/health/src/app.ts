import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { baseServerOptions, errorHandlerPlugin, lifecycleRoutesPlugin, requestLogPlugin, telemetryPlugin, useJsonBodyParser } from '@switchyard/fastify-kit'
import { buildLoggerOptions, type DestinationStream } from '@switchyard/logger'
import type { Dispatcher } from 'undici'
import type { HealthConfig } from './config.js'
import { probeDispatcherPlugin } from './plugins/probe-dispatcher.js'
import { planChecks, runChecks } from './probes/index.js'
import { shareInFlight } from './probes/share-in-flight.js'
import { registerHealthGauges } from './metrics/health-gauges.js'
import { fetchRouterProviders } from './providers/fetch-router-providers.js'
import { RoundAssembler } from './providers/health-round.js'
import { healthRoute } from './routes/health.js'
import { internalDebugConfigRoute } from './routes/internal-debug-config.js'
import { statusRoute } from './routes/status.js'
import { ProbeHistory } from './status/probe-history.js'

export { HealthEnvSchema, loadHealthConfig, type HealthConfig, type HealthEnv } from './config.js'
export type { CheckReport, DatabaseKind, ProbeResult } from './probes/index.js'
export type { HealthReport } from './schemas/health-report.js'
export type { HealthRound } from './providers/health-round.js'
export type { OverallStatus } from './providers/overall-status.js'

export interface AppDeps {
  /** Dispatcher for the HTTP probes (tests: MockAgent); otherwise a short-timeout, no-keep-alive Agent. */
  probeDispatcher?: Dispatcher
  /** Pretty logs (dev); defaults to "stdout is a TTY". */
  prettyLogs?: boolean
  /** Log destination instead of stdout (tests capture lines to check what is logged). */
  logStream?: DestinationStream
}

/**
 * The health service. Never reads process.env, never listens (server.ts does).
 * Order (docs/conventions.md): error handling and lifecycle routes (/livez, /readyz), the probe
 * dispatcher, then the dependency report (/v1/health, /health), the status page, and the
 * token-guarded /internal/debug/config.
 */
export async function buildApp (config: HealthConfig & { version: string }, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...baseServerOptions(config, { requestIds: 'trust-caller' }),
    logger: buildLoggerOptions({ service: 'health', version: config.version, level: config.LOG_LEVEL, pretty: deps.prettyLogs, stream: deps.logStream })
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Bounded nesting and a specific code for __proto__ keys (docs/adr/0010).
  useJsonBodyParser(app)
  await app.register(requestLogPlugin)
  await app.register(errorHandlerPlugin)
  await app.register(telemetryPlugin, { service: 'health', metricsPort: config.METRICS_PORT, metricsHost: config.HOST })
  await app.register(lifecycleRoutesPlugin)
  await app.register(probeDispatcherPlugin, { timeoutMs: config.HEALTH_PROBE_TIMEOUT_MS, dispatcher: deps.probeDispatcher })

  // One round of every probe at a time, whoever asks (load balancer, status page, people): a
  // caller arriving while a round runs gets that round's answer, and every round is remembered
  // for the status page's timeline.
  // The providers come from the router's cached probes (GET /internal/providers, HEALTH_TOKEN),
  // fetched in the same round, one attempt like every probe (docs/adr/0025).
  const ms = config.HEALTH_PROBE_TIMEOUT_MS
  const checks = planChecks(config, app.probeDispatcher)
  const history = new ProbeHistory(config.STATUS_HISTORY_ROUNDS)
  const assembler = new RoundAssembler()
  const observe = registerHealthGauges(app)
  const probeRound = shareInFlight(async () => {
    const [checked, fetched] = await Promise.all([
      runChecks(checks, ms),
      fetchRouterProviders({ routerUrl: config.ROUTER_URL, healthToken: config.HEALTH_TOKEN }, app.probeDispatcher, ms)
    ])
    const round = assembler.assemble(checked, fetched)
    history.record(round)
    observe(round)
    return round
  })
  await app.register(healthRoute, { probeRound, version: config.version })
  await app.register(statusRoute, { probeRound, history, version: config.version, refreshMs: config.STATUS_REFRESH_MS })
  // Guarded by HEALTH_TOKEN inside its own context.
  await app.register(internalDebugConfigRoute, { config })

  return app
}
