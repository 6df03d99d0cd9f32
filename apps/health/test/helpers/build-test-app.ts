import type { FastifyInstance } from 'fastify'
import { onTestFinished } from 'vitest'
import { buildApp, type HealthConfig } from '../../src/app.js'

export const HEALTH_TOKEN = 'test-health-token-0123456789'

/**
 * A complete config, built literally (not from process.env, so nothing in the environment
 * changes what a test probes). Unset DATABASE_URL means the embedded (via gateway) database.
 */
export function testConfig (overrides: Partial<HealthConfig> = {}): HealthConfig & { version: string } {
  return {
    HOST: '127.0.0.1',
    PORT: 0,
    KEEP_ALIVE_TIMEOUT_MS: 65_000,
    REQUEST_TIMEOUT_MS: 60_000,
    SHUTDOWN_GRACE_MS: 5000,
    LOG_LEVEL: 'silent',
    GATEWAY_URL: 'http://127.0.0.1:9',
    ROUTER_URL: 'http://127.0.0.1:9',
    HEALTH_PROBE_TIMEOUT_MS: 1000,
    STATUS_REFRESH_MS: 5000,
    STATUS_HISTORY_ROUNDS: 60,
    HEALTH_TOKEN,
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

/** Milliseconds `fn` took, with its result. */
export async function timed<T> (fn: () => Promise<T>): Promise<{ ms: number, value: T }> {
  const started = performance.now()
  const value = await fn()
  return { ms: performance.now() - started, value }
}

export { listenOnLoopback as listen, closedPort } from '@switchyard/testing'
