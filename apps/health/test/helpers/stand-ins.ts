import { createServer, type Socket } from 'node:net'
import { countConnections, type ConnectionCounter } from '@switchyard/testing'
import Fastify, { type FastifyInstance } from 'fastify'
import { onTestFinished } from 'vitest'

export interface StandIn {
  url: string
  app: FastifyInstance
  /** TCP connections the stand-in accepted: how tests see one connection per probe. */
  connections: ConnectionCounter
}

/**
 * A small Fastify server on port 0 standing in for the gateway or the proxy-router: `/readyz`
 * answers 200 unless `setup` replaces it. Closed when the current test finishes.
 */
export async function startStandIn (setup: (app: FastifyInstance) => void = readyOk): Promise<StandIn> {
  const app = Fastify({ logger: false, forceCloseConnections: true })
  setup(app)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const connections = countConnections(app.server)
  onTestFinished(async () => {
    connections.stop()
    await app.close()
  })
  const { port } = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, app, connections }
}

export function readyOk (app: FastifyInstance): void {
  app.get('/readyz', async () => ({ status: 'ready' }))
}

/** One provider the stand-in router reports: up unless `state` says otherwise. */
export function standInProvider (id: string, state: 'up' | 'down' | 'unknown' = 'up', message = 'model list answered HTTP 401'): unknown {
  const at = '2026-01-01T00:00:00.000Z'
  return {
    id,
    kind: 'openai',
    optional: false,
    probe: { state, checkedAt: state === 'unknown' ? null : at, latencyMs: state === 'unknown' ? null : 12, since: state === 'unknown' ? null : at, error: state === 'down' ? { code: 'PROVIDER_AUTH_FAILED', message } : null },
    traffic: { requests: 0, failures: 0, errorRate: 0, lastError: null },
    deployments: [{ id: `${id}/m`, model: 'm', coolingDownUntil: null, reason: null }]
  }
}

/**
 * A stand-in proxy-router: /readyz 200 and GET /internal/providers answering `list()` (default:
 * one provider up) to whoever presents a token.
 */
export function routerOk (list: () => { providers: unknown[], errorGroups: unknown[] } = () => ({ providers: [standInProvider('mock')], errorGroups: [] })) {
  return (app: FastifyInstance): void => {
    readyOk(app)
    app.get('/internal/providers', async () => list())
  }
}

export interface Slammer {
  port: number
  readonly connections: number
}

/**
 * A TCP port that accepts every connection and closes it at once, with no error: what a
 * restarting server or a proxy without a backend looks like. Closed when the test finishes.
 */
export async function startSlammer (): Promise<Slammer> {
  let connections = 0
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    connections++
    socket.on('error', () => {})
    socket.end()
  })
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  const { port } = server.address() as { port: number }
  return { port, get connections () { return connections } }
}
