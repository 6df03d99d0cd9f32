import { Redis } from 'ioredis'
import { ProbeFailure } from './describe-error.js'
import { runOnce } from './run-once.js'
import type { ProbeResult } from './types.js'

/**
 * One connection and one PING on a fresh ioredis client, then disconnect. Every ioredis retry
 * path is off: no reconnect (retryStrategy → null), no per-command retry, no offline queue that
 * would park the PING until a reconnect, no ready-check polling (a loading Redis answers PING
 * with LOADING, which is reported as down).
 */
export async function probeRedis (url: string, timeoutMs: number): Promise<ProbeResult> {
  return await runOnce({ name: 'redis', timeoutMs }, async (signal) => {
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      enableOfflineQueue: false,
      enableReadyCheck: false
    })
    // With reconnects off, connect() rejects with a bare "Connection is closed."; the cause
    // (ECONNREFUSED, ETIMEDOUT, ...) only arrives as an 'error' event, so keep the latest one.
    let cause: unknown
    redis.on('error', (err) => { cause = err })
    signal.addEventListener('abort', () => { redis.disconnect() }, { once: true })
    try {
      await redis.connect()
      const answer = await redis.ping()
      if (answer !== 'PONG') throw new ProbeFailure('unexpected answer to PING')
    } catch (err) {
      throw cause ?? err
    } finally {
      redis.disconnect()
    }
  })
}
