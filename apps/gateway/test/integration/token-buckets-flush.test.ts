import { Redis } from 'ioredis'
import { closedPort, createRedisPrefix, infraFor, startTcpProxy } from '@switchyard/testing'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { TokenBuckets } from '../../src/quota/token-buckets.js'

const infra = await infraFor('token bucket settlements', ['redis'])

// Shutdown and callers that must know the counters are current (a test before it silences Redis)
// rely on flush() meaning "everything settled so far is in Redis", not "nothing left to send".
describe.skipIf(!infra.ok)('flushing queued settlements', () => {
  const space = createRedisPrefix('token-buckets')
  let redis: Redis
  beforeAll(() => { redis = new Redis(space.url, { maxRetriesPerRequest: 1 }) })
  afterAll(async () => {
    await space.cleanup()
    redis.disconnect()
  })

  it('waits for a flush already under way when nothing is left to send', async () => {
    // The buckets talk to Redis through a proxy that can hold the answer back.
    const target = new URL(space.url)
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) })
    const viaProxy = new Redis(`redis://127.0.0.1:${proxy.port}`, { maxRetriesPerRequest: 1 })
    onTestFinished(async () => { viaProxy.disconnect(); await proxy.close() })
    const errors: unknown[] = []
    const buckets = new TokenBuckets(viaProxy, (err) => { errors.push(err) })
    const key = `${space.prefix}{u:1}:month`
    await redis.set(key, 100, 'PX', 60_000)
    await viaProxy.ping()
    proxy.stall()
    buckets.settle([key], -30)
    const first = buckets.flush() // drains the queue; its call is held in the proxy
    let secondDone = false
    const second = buckets.flush().then(() => { secondDone = true })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(secondDone).toBe(false) // the queue is empty, but the first flush's call is not answered
    proxy.resume()
    await second
    expect(await redis.get(key)).toBe('70')
    await first
    expect(errors).toEqual([])
  })

  it('a flush started while another is out has applied both queues when it resolves', async () => {
    const buckets = new TokenBuckets(redis, () => {})
    const a = `${space.prefix}{u:2}:month`
    const b = `${space.prefix}{u:3}:month`
    await redis.set(a, 50, 'PX', 60_000)
    await redis.set(b, 50, 'PX', 60_000)
    buckets.settle([a], 5)
    const first = buckets.flush()
    buckets.settle([b], -5)
    await buckets.flush()
    expect([await redis.get(a), await redis.get(b)]).toEqual(['55', '45'])
    await first
  })

  it('reports a failed settlement and still resolves', async () => {
    const dead = new Redis(`redis://127.0.0.1:${await closedPort()}`, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true })
    const errors: unknown[] = []
    const buckets = new TokenBuckets(dead, (err) => { errors.push(err) })
    buckets.settle([`${space.prefix}{u:4}:month`], 3)
    await buckets.flush()
    expect(errors).toHaveLength(1)
    dead.disconnect()
  })
})
