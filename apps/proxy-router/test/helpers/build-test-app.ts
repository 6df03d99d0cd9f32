import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
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
  const file = join(mkdtempSync(join(tmpdir(), 'sy-router-routes-')), 'routes.json')
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
 * The router for `providerBaseUrl`, config built literally (plus `env` overrides such as small
 * timeouts). Closed automatically when the current test finishes.
 */
export async function buildTestApp (providerBaseUrl: string, env: Record<string, string> = {}, deps: AppDeps = {}): Promise<FastifyInstance> {
  const config = loadRouterConfig({
    INTERNAL_TOKEN,
    ROUTES_FILE: writeRoutesFile(providerBaseUrl),
    MOCK_PROVIDER_API_KEY: PROVIDER_KEY,
    LOG_LEVEL: 'silent',
    ...env
  }, 'test')
  const app = await buildApp(config, deps)
  onTestFinished(async () => { await app.close() })
  return app
}

/** Listens on 127.0.0.1, port 0, for tests that need real HTTP (streaming, disconnects). */
export async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

/** A port nothing listens on (bound, then released). */
export async function closedPortUrl (): Promise<string> {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}/v1`
}
