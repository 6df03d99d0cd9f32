import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { ConfigError, HttpEnv, InternalAuthEnv, LogEnv, loadConfig, type Env } from '@switchyard/config'
import { parseRoutingTable, type RoutingTable } from './routing/routing-table.js'
import { version as packageVersion } from './version.js'

/**
 * The proxy-router's environment. Provider timeouts form the innermost layer of the one timeout
 * budget (docs/architecture.md, "Timeout budget"): the gateway's ROUTER_HEADERS_TIMEOUT_MS (300 s) and
 * ROUTER_BODY_TIMEOUT_MS (200 s) must stay above the values here, so the router always answers
 * with a specific provider error before the gateway gives up on it.
 */
export const RouterEnvSchema = Type.Object({
  ...HttpEnv(8081),
  ...LogEnv,
  ...InternalAuthEnv,
  /**
   * Path of the routing table JSON (model alias → ordered deployments). Required. A relative path
   * is resolved from this process's working directory; `pnpm dev` / `pnpm start` pass an absolute
   * path, resolved from the directory you ran them in.
   */
  ROUTES_FILE: Type.String({ minLength: 1 }),
  /** TCP + TLS handshake budget for a new connection to a provider. */
  PROVIDER_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 5000 }),
  /** Time to the provider's response headers (first byte). Non-streaming completions can take minutes. */
  PROVIDER_HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 180_000 }),
  /** Max silence between two body chunks: the idle timeout of a stream. */
  PROVIDER_BODY_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 180_000 }),
  /** How long an idle keep-alive socket to a provider is kept; below providers' own idle timeouts. */
  PROVIDER_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 30_000 }),
  /** Concurrent connections per provider origin (the Pool size). */
  PROVIDER_MAX_CONNECTIONS: Type.Integer({ minimum: 1, default: 256 }),
  /** Largest accepted request body; matches the gateway's default so nothing it admits is refused here. */
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 10 * 1024 * 1024 })
})

export type RouterEnv = Static<typeof RouterEnvSchema>
export type RouterConfig = Readonly<RouterEnv & { routes: RoutingTable, version: string }>

/**
 * Validates the environment and loads the routing table it names (ROUTES_FILE). Provider keys are
 * read from the variables the table names in `apiKeyEnv`, so they never live in the file.
 * Throws ConfigError naming whatever is wrong; only server.ts/dev.ts pass `process.env`.
 */
export function loadRouterConfig (env: Env, version: string = packageVersion): RouterConfig {
  const parsed = loadConfig(RouterEnvSchema, env)
  const file = resolve(parsed.ROUTES_FILE)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ROUTES_FILE ${file} could not be read as JSON: ${(err as Error).message}`, { cause: err })
  }
  let routes: RoutingTable
  try {
    routes = parseRoutingTable(json, env)
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${err.message} (in ROUTES_FILE ${file})`, { cause: err })
    throw err
  }
  return Object.freeze({ ...parsed, routes, version })
}
