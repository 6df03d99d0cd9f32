// Runs the request-trace pruner (trace-retention.ts) every TRACE_PRUNE_INTERVAL_MS, the first
// time a random fraction of an interval after start so replicas that boot together do not all
// knock on the lock at once. Off the request path: a timer, one run at a time, failures logged
// once per outage. Depends on `database`; the timer stops and the running batch finishes in
// onClose, before the database closes.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { GatewayConfig } from '../config.js'
import { pruneTraces } from './trace-retention.js'

const dayMs = 24 * 60 * 60 * 1000
const batchRows = 1000
const maxBatches = 100

export interface TraceRetentionOptions {
  config: Pick<GatewayConfig, 'TRACE_RETENTION_DAYS' | 'TRACE_PRUNE_INTERVAL_MS'>
}

async function traceRetention (app: FastifyInstance, opts: TraceRetentionOptions): Promise<void> {
  const { config } = opts
  const log = app.log.child({ component: 'trace-retention' })
  let failing = false
  let current: Promise<void> = Promise.resolve()
  let running = false

  const run = async (): Promise<void> => {
    if (running) return
    running = true
    try {
      const result = await pruneTraces(app.dbHandle, { olderThan: new Date(Date.now() - config.TRACE_RETENTION_DAYS * dayMs), batchRows, maxBatches })
      if (result.pruned > 0) log.info({ pruned: result.pruned, retentionDays: config.TRACE_RETENTION_DAYS }, 'pruned old request traces')
      if (failing) log.info('request trace pruning recovered')
      failing = false
    } catch (err) {
      if (!failing) log.warn({ err }, 'cannot prune old request traces; retrying next interval')
      failing = true
    } finally {
      running = false
    }
  }

  let timer: NodeJS.Timeout | undefined
  let closed = false
  const schedule = (delayMs: number): void => {
    if (closed) return
    timer = setTimeout(() => {
      current = run().finally(() => schedule(config.TRACE_PRUNE_INTERVAL_MS))
    }, delayMs)
    timer.unref()
  }
  app.addHook('onReady', async () => { schedule(Math.round(Math.random() * config.TRACE_PRUNE_INTERVAL_MS)) })
  app.addHook('onClose', async () => {
    closed = true
    clearTimeout(timer)
    await current
  })
}

export const traceRetentionPlugin = fp(traceRetention, { name: 'trace-retention', fastify: '5.x', dependencies: ['database'] })
