import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildApp, loadRouterConfig } from '@switchyard/proxy-router'
import { countConnections, listenOnLoopback, makeTempDir, type ConnectionCounter } from '@switchyard/testing'
import type { FastifyInstance } from 'fastify'
import { onTestFinished } from 'vitest'
import { HEALTH_TOKEN } from './build-test-app.js'

export const ROUTER_INTERNAL_TOKEN = 'test-internal-token-0123456789'
export const PROVIDER_KEY = 'sk-test-provider-key-0123'

export interface RealRouter {
  app: FastifyInstance
  url: string
  connections: ConnectionCounter
}

/**
 * The real proxy-router on port 0 over `providers` (`{ id: baseUrl }`, type openai, key
 * PROVIDER_KEY), each serving the alias `m`, with HEALTH_TOKEN configured. Closed when the test finishes.
 */
export async function startRealRouter (providers: Record<string, string>, env: Record<string, string> = {}): Promise<RealRouter> {
  const file = join(makeTempDir('health-routes'), 'routes.json')
  writeFileSync(file, JSON.stringify({
    providers: Object.fromEntries(Object.entries(providers).map(([id, baseUrl]) => [id, { type: 'openai', baseUrl, apiKeyEnv: 'TEST_PROVIDER_KEY' }])),
    models: { m: Object.keys(providers).map((id) => ({ provider: id, model: 'mock-gpt' })) }
  }))
  const app = await buildApp(loadRouterConfig({
    INTERNAL_TOKEN: ROUTER_INTERNAL_TOKEN,
    HEALTH_TOKEN,
    ROUTES_FILE: file,
    TEST_PROVIDER_KEY: PROVIDER_KEY,
    LOG_LEVEL: 'silent',
    ...env
  }, 'test'))
  onTestFinished(async () => { await app.close() })
  const url = await listenOnLoopback(app)
  return { app, url, connections: countConnections(app.server) }
}

/** Asks the router until it has probed every provider (its first read starts the probes). */
export async function untilProbed (router: RealRouter): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await router.app.inject({ method: 'GET', url: '/internal/providers', headers: { 'x-internal-token': HEALTH_TOKEN } })
    const body = res.json<{ providers: Array<{ probe: { checkedAt: string | null } }> }>()
    if (body.providers.every((p) => p.probe.checkedAt !== null)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('the router never probed its providers')
}
