import { createServer } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { onTestFinished } from 'vitest'
import { buildApp, type HealthConfig } from '../../src/app.js'

export const INTERNAL_TOKEN = 'test-internal-token-0123456789'

/**
 * A complete config, built literally (not from process.env, so nothing in the environment
 * changes what a test probes). Unset DATABASE_URL means the embedded (via gateway) database.
 */
export function testConfig (overrides: Partial<HealthConfig> = {}): HealthConfig & { version: string } {
  return {
    HOST: '127.0.0.1',
    PORT: 0,
    KEEP_ALIVE_TIMEOUT_MS: 65_000,
    SHUTDOWN_GRACE_MS: 5000,
    LOG_LEVEL: 'silent',
    GATEWAY_URL: 'http://127.0.0.1:9',
    ROUTER_URL: 'http://127.0.0.1:9',
    HEALTH_PROBE_TIMEOUT_MS: 1000,
    version: 'test',
    ...overrides
  }
}

/** The health app for `overrides`, closed when the current test finishes. */
export async function buildTestApp (overrides: Partial<HealthConfig> = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(overrides))
  onTestFinished(async () => { await app.close() })
  return app
}

/** Listens on 127.0.0.1, port 0; returns the base URL. */
export async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

/** A port nothing listens on (bound, then released): connections to it are refused. */
export async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Milliseconds `fn` took, with its result. */
export async function timed<T> (fn: () => Promise<T>): Promise<{ ms: number, value: T }> {
  const started = performance.now()
  const value = await fn()
  return { ms: performance.now() - started, value }
}
