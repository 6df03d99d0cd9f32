import { createDb } from '@switchyard/db'
import { captureLogs, type LogCapture } from '@switchyard/testing'
import type { FastifyInstance } from 'fastify'
import { onTestFinished } from 'vitest'
import { buildApp, loadGatewayConfig } from '../../src/app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from './tokens.js'

/** A gateway on in-memory PGlite logging at info level into memory, closed when the test finishes. */
export async function buildLoggedApp (env: Record<string, string> = {}): Promise<{ app: FastifyInstance, logs: LogCapture }> {
  const db = await createDb({ dataDir: 'memory://' })
  const logs = captureLogs()
  const config = loadGatewayConfig({ INTERNAL_TOKEN, ADMIN_TOKEN, LOG_LEVEL: 'info', ROUTER_URL: 'http://127.0.0.1:9', ...env }, 'test')
  const app = await buildApp(config, { db, logStream: logs.stream })
  onTestFinished(async () => {
    await app.close()
    await db.close()
  })
  return { app, logs }
}
