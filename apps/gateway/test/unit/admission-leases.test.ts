import { afterEach, describe, expect, it } from 'vitest'
import { AdmissionLeases, type Lease } from '../../src/quota/admission-leases.js'
import type { Bucket } from '../../src/quota/token-buckets.js'

const month = (limit: number | null): Bucket => ({ kind: 'user-month', key: 'p:q:{u:1}:m:2026-12', limit, ttlMs: 1e9 })
const rate = { max: 100_000, windowMs: 60_000 }

describe('admission leases (sizing and life of a lease, per process)', () => {
  const given: Array<{ requests: number, tokens: number }> = []
  let leases: AdmissionLeases
  afterEach(() => { leases?.closeAll(); given.length = 0 })
  const book = (leaseMs = 500) => (leases = new AdmissionLeases(leaseMs, (_lease: Lease, requests, tokens) => { given.push({ requests, tokens }) }))
  const busy = (l: AdmissionLeases, plan: Bucket[], amount: number, now: number, r = rate) => {
    for (let i = 0; i < 3; i++) expect(l.sizeFor('k', r, plan, amount, now)).toBeNull()
    return l.sizeFor('k', r, plan, amount, now)
  }
  const grant = (l: AdmissionLeases, size: { requests: number, tokens: number }, plan: Bucket[], now: number, windowTtlMs = 60_000) => {
    l.granted('k', size, { counterKey: 'p:rl:{u:1}:k', rate, plan, counter: 100, windowTtlMs, tpm: -1, tpmTtlMs: 0 }, now)
  }

  it('a key is leased only once busy (4 requests within 100 ms), and never two leases asked at once', () => {
    const l = book()
    expect(l.sizeFor('k', rate, [], 0, 0)).toBeNull()
    expect(l.sizeFor('k', rate, [], 0, 200)).toBeNull() // a new interval: counting starts again
    expect(busy(l, [], 0, 1000)).toEqual({ requests: 20, tokens: 0 })
    expect(l.sizeFor('k', rate, [], 0, 1001)).toBeNull() // one lease request in flight at a time
    l.abandoned('k')
    expect(l.sizeFor('k', rate, [], 0, 1002)).toEqual({ requests: 30, tokens: 0 })
  })

  it('a lease request in flight is there to wait on, until it is granted, abandoned or the process shuts down', async () => {
    const l = book()
    expect(l.pending('k')).toBeUndefined()
    const size = busy(l, [], 0, 0)!
    const waiting = l.pending('k')!
    let settled = false
    void waiting.then(() => { settled = true })
    await Promise.resolve()
    expect(settled).toBe(false)
    grant(l, size, [], 1)
    await waiting
    expect(l.pending('k')).toBeUndefined()
    expect(l.take('k', rate, [], 0, 2)).toBeDefined() // a waiter is admitted from the lease

    l.closeAll()
    expect(busy(l, [], 0, 1000)).not.toBeNull()
    const abandoned = l.pending('k')!
    l.abandoned('k')
    await abandoned
    expect(busy(l, [], 0, 2000)).not.toBeNull()
    const shutDown = l.pending('k')!
    l.closeAll()
    await shutDown
  })

  it('a key whose lease Redis refused (near a limit) asks for none for one lease lifetime', () => {
    const l = book(500)
    expect(busy(l, [], 0, 0)).not.toBeNull()
    l.abandoned('k', 10)
    expect(l.sizeFor('k', rate, [], 0, 20)).toBeNull()
    expect(l.sizeFor('k', rate, [], 0, 509)).toBeNull()
    expect(busy(l, [], 0, 1000)).not.toBeNull() // busy again after it
  })

  it('a key busy in one interval is busy from the first request of the next, and its lease is sized by it', () => {
    const l = book()
    for (let i = 0; i < 12; i++) l.sizeFor('k', rate, [], 0, i) // 12 requests, asking for a lease from the 4th
    l.abandoned('k')
    expect(l.sizeFor('k', rate, [], 0, 150)).toEqual({ requests: 60, tokens: 0 }) // 12 × 5, at once
    l.abandoned('k')
    expect(l.sizeFor('k', rate, [], 0, 500)).toBeNull() // quiet for more than an interval: not busy
  })

  it('a lease holds at most 1 % of any limit: small limits are never leased', () => {
    const l = book()
    expect(busy(l, [], 0, 0, { max: 150, windowMs: 60_000 })).toBeNull() // 1 % of 150 is one request
    l.closeAll()
    expect(busy(l, [month(100_000)], 100, 0)).toEqual({ requests: 10, tokens: 1000 })
    l.closeAll()
    expect(busy(l, [month(10_000)], 100, 0)).toBeNull() // 1 % of the quota is one request's reservation
    l.closeAll()
    expect(busy(l, [month(null)], 4100, 0)).toEqual({ requests: 20, tokens: 82_000 }) // count-only: no cap
  })

  it('admits from a lease until it runs out; an answer that used less gives the difference back to the lease', () => {
    const l = book()
    const plan = [month(1_000_000)]
    const size = busy(l, plan, 10, 0)!
    grant(l, size, plan, 0)
    const first = l.take('k', rate, plan, 10, 1)!
    expect(first.requests).toBe(size.requests - 1)
    expect(l.settle(first, 10, 8)).toBe(true)
    expect(first.tokens).toBe(size.tokens - 10 + 2)
    for (let i = 1; i < size.requests; i++) expect(l.take('k', rate, plan, 10, 2)).toBeDefined()
    expect(l.take('k', rate, plan, 10, 3)).toBeUndefined() // out of requests: closed, the 2 tokens go back
    expect(given).toEqual([{ requests: 0, tokens: 2 }])
    expect(l.settle(first, 10, 8)).toBe(false) // closed, no other lease: the caller settles in Redis

    // An answer of a closed lease settles into the key's next lease on the same counters.
    grant(l, { requests: 20, tokens: 200 }, plan, 4)
    const next = l.take('k', rate, plan, 10, 5)!
    expect(l.settle(first, 10, 3)).toBe(true)
    expect(next.tokens).toBe(200 - 10 + 7)
    grant(l, { requests: 20, tokens: 200 }, [month(1_000_000), { ...month(5), key: 'other' }], 6)
    expect(l.settle(next, 10, 10)).toBe(false) // the key's lease now charges other counters
  })

  it('a lease ends, and its remainder goes back, when it expires, its window ends, its limits change or a request needs more tokens than it has', () => {
    const plan = [month(1_000_000)]
    const l = book(500)
    grant(l, busy(l, plan, 10, 0)!, plan, 0)
    expect(l.take('k', rate, plan, 10, 499)).toBeDefined()
    expect(l.take('k', rate, plan, 10, 500)).toBeUndefined()
    expect(given.pop()).toEqual({ requests: 19, tokens: 190 })

    grant(l, { requests: 20, tokens: 200 }, plan, 1000, 50) // the request window ends in 50 ms
    expect(l.take('k', rate, plan, 10, 1050)).toBeUndefined()
    // The requests are not given back: the counter's next window has the same name.
    expect(given.pop()).toEqual({ requests: 0, tokens: 200 })

    grant(l, { requests: 20, tokens: 200 }, plan, 2000)
    expect(l.take('k', rate, [month(2_000_000)], 10, 2001)).toBeUndefined() // plan edited
    expect(given.pop()).toEqual({ requests: 20, tokens: 200 })

    grant(l, { requests: 20, tokens: 200 }, plan, 3000)
    expect(l.take('k', { max: 5, windowMs: 60_000 }, plan, 10, 3001)).toBeUndefined() // request limit edited
    grant(l, { requests: 20, tokens: 200 }, plan, 3000)
    expect(l.take('k', rate, plan, 201, 3001)).toBeUndefined() // more than it holds
    expect(given.splice(0)).toEqual([{ requests: 20, tokens: 200 }, { requests: 20, tokens: 200 }])
  })

  it('a lease granted after shutdown goes straight back', () => {
    const l = book()
    const size = busy(l, [], 0, 0)!
    l.closeAll()
    grant(l, size, [], 1)
    expect(given).toEqual([{ requests: 20, tokens: 0 }])
  })
})
