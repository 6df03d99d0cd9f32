import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { closedPort, makeTempDir } from '@switchyard/testing'
import { onTestFinished } from 'vitest'
import { buildApp, loadRouterConfig, type AppDeps } from '../../src/app.js'

export const INTERNAL_TOKEN = 'test-internal-token-0123456789'
export const PROVIDER_KEY = 'sk-test-provider-key'
export const internalHeaders = { 'x-internal-token': INTERNAL_TOKEN }

/**
 * A routing table with one provider "mock" at `baseUrl` (key from MOCK_PROVIDER_API_KEY) serving
 * mock-gpt, mock-gpt-mini, and the alias "fast" → upstream model mock-gpt-mini.
 */
export function writeRoutesFile (baseUrl: string): string {
  const file = join(makeTempDir('router-routes'), 'routes.json')
  writeFileSync(file, JSON.stringify({
    providers: { mock: { type: 'openai', baseUrl, apiKeyEnv: 'MOCK_PROVIDER_API_KEY' } },
    models: {
      'mock-gpt': [{ provider: 'mock', model: 'mock-gpt' }],
      'mock-gpt-mini': [{ provider: 'mock', model: 'mock-gpt-mini' }],
      fast: [{ provider: 'mock', model: 'mock-gpt-mini' }]
    }
  }))
  return file
}

/**
 * A routing table of several providers (`{ id: baseUrl }`, all of type openai, keyed by
 * MOCK_PROVIDER_API_KEY) and the given models. Returns the file's path.
 */
export function writeTableFile (providers: Record<string, string>, models: Record<string, unknown[]>): string {
  const file = join(makeTempDir('router-routes'), 'routes.json')
  writeFileSync(file, JSON.stringify({
    providers: Object.fromEntries(Object.entries(providers).map(([id, baseUrl]) => [id, { type: 'openai', baseUrl, apiKeyEnv: 'MOCK_PROVIDER_API_KEY' }])),
    models
  }))
  return file
}

/** The router over `routesFile` (see writeTableFile), closed when the current test finishes. */
export async function buildTableApp (routesFile: string, env: Record<string, string> = {}, deps: AppDeps = {}): Promise<FastifyInstance> {
  const config = loadRouterConfig({
    INTERNAL_TOKEN,
    ROUTES_FILE: routesFile,
    MOCK_PROVIDER_API_KEY: PROVIDER_KEY,
    LOG_LEVEL: 'silent',
    ...env
  }, 'test')
  const app = await buildApp(config, deps)
  onTestFinished(async () => { await app.close() })
  return app
}

/**
 * The router for `providerBaseUrl`, config built literally (plus `env` overrides such as small
 * timeouts). Closed automatically when the current test finishes.
 */
export async function buildTestApp (providerBaseUrl: string, env: Record<string, string> = {}, deps: AppDeps = {}): Promise<FastifyInstance> {
  return await buildTableApp(writeRoutesFile(providerBaseUrl), env, deps)
}

/** A port nothing listens on (bound, then released). */
export async function closedPortUrl (): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}/v1`
}

export { listenOnLoopback as listen } from '@switchyard/testing'
