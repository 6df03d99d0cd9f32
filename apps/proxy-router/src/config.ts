import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { checkTimeoutBudget, ConfigError, HealthAuthEnv, HttpEnv, InternalAuthEnv, LogEnv, MetricsEnv, loadConfig, notSecret, routerTimeoutRules, secret, timeoutDefaults, type Env } from '@switchyard/config'
import { parseRoutingTable, type RoutingTable } from './routing/routing-table.js'
import { version as packageVersion } from './version.js'

/**
 * The proxy-router's environment. Its timeouts are the inner layers of the one timeout budget
 * (docs/adr/0008, checked at boot by @switchyard/config's timeout-budget): the gateway's
 * ROUTER_HEADERS_TIMEOUT_MS > ROUTER_TOTAL_TIMEOUT_MS > PROVIDER_HEADERS_TIMEOUT_MS, so the
 * router always answers with a specific provider error before the gateway gives up on it.
 */
export const RouterEnvSchema = Type.Object({
  ...HttpEnv(8081),
  ...LogEnv,
  ...MetricsEnv,
  ...InternalAuthEnv,
  ...HealthAuthEnv,
  /**
   * Path of the routing table JSON (model alias → ordered deployments). A relative path is
   * resolved from this process's working directory; `pnpm dev` / `pnpm start` pass an absolute
   * path, resolved from the directory you ran them in. Exactly one of ROUTES_FILE / ROUTES_JSON.
   */
  ROUTES_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * The routing table's JSON itself, for deployments that deliver it as a parameter (infra/aws
   * passes an SSM parameter) instead of a file in the image. Exactly one of ROUTES_FILE / ROUTES_JSON.
   */
  ROUTES_JSON: Type.Optional(secret(Type.String({ minLength: 1 }))),
  /** TCP + TLS handshake budget for a new connection to a provider. */
  PROVIDER_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 5000 }),
  /** Time to the provider's response headers (first byte). Non-streaming completions can take minutes. */
  PROVIDER_HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 1, default: timeoutDefaults.providerHeadersTimeoutMs }),
  /**
   * Per attempt of a stream: from the call to the first content chunk. A stream that produces
   * nothing for this long falls back instead of waiting for the idle timeout.
   */
  PROVIDER_FIRST_TOKEN_TIMEOUT_MS: notSecret(Type.Integer({ minimum: 1, default: 60_000 })),
  /**
   * Deadline of the attempt phase, retries and fallbacks included: until the whole answer for
   * non-streams, until the first content for streams (a long stream is never cut by it).
   */
  ROUTER_TOTAL_TIMEOUT_MS: Type.Integer({ minimum: 1, default: timeoutDefaults.routerTotalTimeoutMs }),
  /** Attempts on one deployment (the first included) before falling back to the next. */
  ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: Type.Integer({ minimum: 1, maximum: 10, default: 2 }),
  /** Exponential backoff with full jitter between retries: base and cap. */
  ROUTER_BACKOFF_BASE_MS: Type.Integer({ minimum: 0, default: 250 }),
  ROUTER_BACKOFF_CAP_MS: Type.Integer({ minimum: 0, default: 5000 }),
  /** A provider's Retry-After up to this is waited for on the same deployment; longer → fall back. */
  ROUTER_RETRY_AFTER_CAP_MS: Type.Integer({ minimum: 0, default: 10_000 }),
  /** Failures of one deployment within COOLDOWN_WINDOW_MS that put it in cooldown. */
  COOLDOWN_FAILURE_THRESHOLD: Type.Integer({ minimum: 1, default: 3 }),
  COOLDOWN_WINDOW_MS: Type.Integer({ minimum: 1, default: 60_000 }),
  /** How long a deployment is skipped (a 429's Retry-After replaces it). */
  COOLDOWN_MS: Type.Integer({ minimum: 1, default: 30_000 }),
  /** A stream silent for this long gets an SSE comment (`: ping`); below any load balancer idle timeout. */
  SSE_HEARTBEAT_MS: Type.Integer({ minimum: 10, default: 15_000 }),
  /**
   * How much of an upstream failure clients see: `cause` = the cause class and provider id;
   * `full` = also hosts, ports and the low-level error text (development). The log always has
   * everything.
   */
  UPSTREAM_ERROR_DETAIL: Type.Union([Type.Literal('cause'), Type.Literal('full')], { default: 'cause' }),
  /** Max silence between two body chunks: the idle timeout of a stream. */
  PROVIDER_BODY_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 180_000 }),
  /** How long an idle keep-alive socket to a provider is kept; below providers' own idle timeouts. */
  PROVIDER_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 30_000 }),
  /**
   * Concurrent connections per provider origin (the Pool size) = calls in flight to it at once; a
   * stream holds one for its whole length, more wait in the pool's queue. Sized for 2,000
   * concurrent streams with room (docs/capacity.md).
   */
  PROVIDER_MAX_CONNECTIONS: Type.Integer({ minimum: 1, default: 4096 }),
  /**
   * Largest accepted request body; matches the gateway's default so nothing it admits is refused
   * here (1 KiB more is accepted: the gateway may append the answer bound to a body it admitted).
   */
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 10 * 1024 * 1024 }),
  /**
   * Provider probes (GET /internal/providers): each provider's model list is fetched at most once
   * per this interval, only when asked for, never a completion (docs/adr/0025).
   */
  PROVIDER_PROBE_INTERVAL_MS: Type.Integer({ minimum: 1000, default: 30_000 }),
  /** One attempt per provider probe, at most this long (connect included). */
  PROVIDER_PROBE_TIMEOUT_MS: Type.Integer({ minimum: 50, default: 1000 }),
  /** Optional: grouped upstream failures also go to this Sentry project (https://<key>@<host>/<project>). */
  SENTRY_DSN: Type.Optional(secret(Type.String({ pattern: '^https?://[^/@\\s]+@[^/\\s]+/\\S+$' })))
})

export type RouterEnv = Static<typeof RouterEnvSchema>
export type RouterConfig = Readonly<RouterEnv & { routes: RoutingTable, version: string }>

/** The routing table's JSON and where it came from (quoted in errors), from ROUTES_FILE or ROUTES_JSON. */
function readRoutesJson (parsed: RouterEnv): { json: unknown, source: string } {
  const { ROUTES_FILE: routesFile, ROUTES_JSON: routesJson } = parsed
  if (routesFile !== undefined && routesJson !== undefined) {
    throw new ConfigError('Invalid configuration: set exactly one of ROUTES_FILE and ROUTES_JSON, not both')
  }
  if (routesJson !== undefined) {
    try {
      return { json: JSON.parse(routesJson), source: 'ROUTES_JSON' }
    } catch (err) {
      // JSON.parse's message quotes the text around the error: never echo the value.
      throw new ConfigError('Invalid configuration: ROUTES_JSON is not valid JSON', { cause: err })
    }
  }
  if (routesFile === undefined) {
    throw new ConfigError('Invalid configuration: ROUTES_FILE is required but not set (or set ROUTES_JSON to the table itself)')
  }
  const file = resolve(routesFile)
  try {
    return { json: JSON.parse(readFileSync(file, 'utf8')), source: `ROUTES_FILE ${file}` }
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ROUTES_FILE ${file} could not be read as JSON: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Validates the environment and loads the routing table (ROUTES_FILE names a file, ROUTES_JSON
 * holds the table). Provider keys are read from the variables the table names in `apiKeyEnv`, so
 * they never live in the table. Throws ConfigError naming whatever is wrong; only
 * server.ts/dev.ts pass `process.env`.
 */
export function loadRouterConfig (env: Env, version: string = packageVersion): RouterConfig {
  const parsed = loadConfig(RouterEnvSchema, env)
  if (parsed.HEALTH_TOKEN !== undefined && parsed.HEALTH_TOKEN === parsed.INTERNAL_TOKEN) {
    throw new ConfigError('Invalid configuration: HEALTH_TOKEN must differ from INTERNAL_TOKEN (it opens only read-only routes)')
  }
  const { json, source } = readRoutesJson(parsed)
  let routes: RoutingTable
  try {
    routes = parseRoutingTable(json, env)
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${err.message} (in ${source})`, { cause: err })
    throw err
  }
  checkTimeoutBudget(routerTimeoutRules({
    routerTotalTimeoutMs: parsed.ROUTER_TOTAL_TIMEOUT_MS,
    providerHeadersTimeoutMs: parsed.PROVIDER_HEADERS_TIMEOUT_MS,
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS
  }))
  return Object.freeze({ ...parsed, routes, version })
}
