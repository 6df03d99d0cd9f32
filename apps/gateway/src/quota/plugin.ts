// Decorates `quota` (the hooks of metered routes: chat completions, embeddings) and
// `request.quotaReservation`. Owns the Redis admission script: on metered routes the request
// rate is counted by the same call that reserves tokens (docs/adr/0029). Depends on `redis` (null =
// no Redis: monthly quotas from Postgres totals) and `database` (durable totals). Closing flushes queued settlements.
import { SwitchyardError } from '@switchyard/errors'
import { appendJsonField } from '@switchyard/fastify-kit'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import type { ResolvedKey } from '../auth/resolved-key.js'
import type { GatewayConfig } from '../config.js'
import { bucketsForKey } from './buckets-for-key.js'
import { DurableTotals } from './durable-totals.js'
import { estimateInputTokens, estimatePromptTokens, requestedMaxTokens } from './estimate.js'
import { minuteWindow, monthStart, nextMonthStart } from './period.js'
import type { QuotaReservation } from './reservation.js'
import { rateLimitExceeded, requestCounterName, requestRateOf, setRequestRateHeaders, ThrottledKeys, type RequestRate } from './request-rate.js'
import { setTokenRateHeaders } from './token-rate-headers.js'
import { TokenBuckets, type Bucket, type CounterState, type ReserveResult } from './token-buckets.js'
import { AdmissionLeases, type Lease, type LeaseSize } from './admission-leases.js'
import type { Owner } from './usage-totals.js'

/**
 * The parts of a metered request body admission reads (and, for the default cap, writes): a chat
 * request's `messages`, or an embeddings request's `input` (validated by the route's schema).
 */
export interface MeteredBody {
  model: string
  messages?: ReadonlyArray<{ content?: unknown }>
  input?: unknown
  max_tokens?: number | null
  max_completion_tokens?: number | null
}

declare module 'fastify' {
  interface FastifyInstance {
    quota: {
      /** onRequest: refuses a key known to be over its request limit, before its body is read. */
      refuseThrottled: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
      /** preHandler: model allow-list, then request rate and token limits (one Redis call, before forwarding). */
      admit: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
      /** onResponse: counts a request refused before admission (bad body, model not allowed) against the request rate. */
      countUnadmitted: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
      /** Reservations not settled yet, by request id (settled by usage accounting when the answer is over). */
      open: Map<string, QuotaReservation>
      /** Sends the queued settlements to Redis now; resolves when they (and any flush still out) are answered. */
      flush: () => Promise<void>
    }
  }
}

/** Redis failed a moment ago (see RedisFallbacks): go straight to the fallback. */
class RedisSkipped extends Error {}

const limitNames: Record<Bucket['kind'], string> = { 'user-month': 'monthly token quota', 'key-month': 'monthly token quota', 'key-tpm': 'tokens per minute' }
const ownerOf = (b: Bucket, key: ResolvedKey): Owner => b.kind === 'key-month' ? { keyId: key.id } : { userId: key.userId }

async function quota (app: FastifyInstance, opts: { config: GatewayConfig }): Promise<void> {
  const { config } = opts
  const buckets = app.redis === null
    ? null
    : new TokenBuckets(app.redis, (err) => { app.redisFallbacks.note('quota', err, 'token reservations could not be settled') })
  const totals = new DurableTotals(app.db)
  const open = new Map<string, QuotaReservation>()
  if (!app.hasRequestDecorator('quotaReservation')) app.decorateRequest('quotaReservation', null)

  /** `b`: the monthly bucket that refused: the user's quota (shared by their keys) or the key's own. */
  const quotaExceeded = (key: ResolvedKey, b: Bucket, used: number, limit: number, now: number) => new SwitchyardError('QUOTA_EXCEEDED', {
    details: { scope: b.kind === 'key-month' ? 'key' : 'user', used, limit, resetAt: nextMonthStart(now).toISOString(), plan: key.planName }
  })

  /** Without Redis (or with it down and QUOTA_FAIL_MODE=open): monthly quotas against Postgres totals. */
  const checkDurable = async (key: ResolvedKey, plan: Bucket[], amount: number, now: number): Promise<void> => {
    for (const b of plan) {
      if (b.kind === 'key-tpm' || b.limit === null) continue
      const used = await totals.recent(ownerOf(b, key), monthStart(now))
      if (used + amount > b.limit) throw quotaExceeded(key, b, used, b.limit, now)
    }
  }

  /** A monthly counter is missing in Redis: rebuild it from usage_events (once per process at a time). */
  const rebuild = async (b: Bucket, key: ResolvedKey, now: number): Promise<void> => {
    let used: number
    try {
      used = await totals.fresh(ownerOf(b, key), monthStart(now))
    } catch (err) {
      // Without the durable total there is no safe number to start from (never zero).
      throw new SwitchyardError('DATABASE_UNAVAILABLE', { cause: err })
    }
    await buckets?.seed(b.key, used, b.ttlMs)
    app.log.info({ bucket: b.kind, userId: key.userId, used }, 'monthly token counter rebuilt from usage_events')
  }

  /**
   * Leaves the request's reservation for accounting to settle. `lease`: the request was admitted
   * from this process's lease, so what it did not use goes back into the lease while it is open.
   */
  const reserve = (request: FastifyRequest, plan: Bucket[], amount: number, lease?: Lease): void => {
    let settled = false
    const reservation: QuotaReservation = {
      reservedTokens: amount,
      settle: (usedTokens) => {
        if (settled) return
        settled = true
        open.delete(request.id)
        const used = Number.isFinite(usedTokens) ? Math.max(0, Math.round(usedTokens)) : amount
        if (lease !== undefined && leases.settle(lease, amount, used)) return
        buckets?.settle(plan.map((b) => b.key), used - amount)
      }
    }
    open.set(request.id, reservation)
    request.quotaReservation = reservation
  }

  /** A lease's remainder goes back to Redis with the settlements (the next reservation carries it). */
  const leases = new AdmissionLeases(buckets === null ? 0 : config.ADMISSION_LEASE_MS, (lease, requests, tokens) => {
    buckets?.settle([lease.counterKey], -requests)
    buckets?.settle(lease.bucketKeys, -tokens)
  })

  const throttled = new ThrottledKeys()
  const localWindows = app.localRequestWindows
  const prefix = `${config.REDIS_KEY_PREFIX}rl:`
  /** Requests admitted or counted already (countUnadmitted skips them). */
  const counted = new WeakSet<FastifyRequest>()

  /** A key's window after this request was counted: over the limit, its next requests are refused on arrival. */
  const noteCount = (key: ResolvedKey, rate: RequestRate, requests: CounterState): CounterState => {
    if (requests.current > rate.max) throttled.remember(key.id, rate, requests.ttl)
    return requests
  }

  /** The request rate per process: no Redis, or Redis down with RATE_LIMIT_FAIL_OPEN. */
  const countLocally = (key: ResolvedKey, rate: RequestRate): CounterState => noteCount(key, rate, localWindows.incr(requestCounterName(key), rate.windowMs))

  /** Admission by the request rate: the 429, or OpenAI's request headers on the answer. */
  const admitRate = (reply: FastifyReply, rate: RequestRate, requests: CounterState): void => {
    if (requests.current > rate.max) throw rateLimitExceeded(rate, requests.ttl)
    setRequestRateHeaders(reply, rate, requests.current, requests.ttl)
  }

  /** Redis failed for this request: the request rate per process (or 503), then quotas per QUOTA_FAIL_MODE. */
  const fallBack = async (request: FastifyRequest, reply: FastifyReply, rate: RequestRate, err: unknown, plan: Bucket[], amount: number, now: number): Promise<void> => {
    const key = request.apiKey as ResolvedKey
    const cause = err instanceof RedisSkipped ? undefined : err
    if (!config.RATE_LIMIT_FAIL_OPEN) throw new SwitchyardError('RATE_LIMIT_STORE_UNAVAILABLE', { cause })
    app.redisFallbacks.note('rate-limit', cause, 'request limits are counted per process')
    admitRate(reply, rate, countLocally(key, rate))
    if (plan.length === 0) return
    if (config.QUOTA_FAIL_MODE === 'closed') throw new SwitchyardError('RATE_LIMIT_STORE_UNAVAILABLE', { cause })
    app.redisFallbacks.note('quota', cause, 'monthly quotas are checked against Postgres totals, tokens per minute unchecked')
    await checkDurable(key, plan, amount, now)
  }

  const refuseThrottled = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const key = request.apiKey
    // Nobody throttled (the usual case): no lookup, no limit computed.
    const refusal = key === null || throttled.size === 0 ? undefined : throttled.refusal(key.id, requestRateOf(key, config))
    if (refusal === undefined) return done()
    counted.add(request) // refused on arrival: not counted again (the window is over its limit already)
    done(refusal)
  }

  const admit = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const key = request.apiKey
    if (key === null) return
    const body = request.body as MeteredBody
    if (key.allowedModels !== null && !key.allowedModels.includes(body.model)) {
      throw new SwitchyardError('MODEL_NOT_ALLOWED', { details: { model: body.model } })
    }
    const now = Date.now()
    const rate = requestRateOf(key, config)
    const plan = bucketsForKey(key, now, config.REDIS_KEY_PREFIX)

    const limited = plan.filter((b): b is Bucket & { limit: number } => b.limit !== null)
    // Embeddings have an input and no answer to bound: only the input is reserved.
    const chat = body.messages !== undefined
    const prompt = plan.length === 0 ? 0 : chat ? estimatePromptTokens(body.messages ?? []) : estimateInputTokens(body.input)
    let maxTokens = chat ? requestedMaxTokens(body) : 0
    if (maxTokens === undefined && limited.length > 0) {
      // Bound the answer, so the reservation bounds what it can cost: the configured cap, lowered
      // to what the key's smallest bucket can ever hold. Sent upstream with the request.
      maxTokens = Math.max(1, Math.min(config.DEFAULT_MAX_TOKENS_CAP, Math.min(...limited.map((b) => b.limit)) - prompt))
      body.max_completion_tokens = maxTokens
      // The router gets the client's bytes, not the object: the bound goes into them too.
      if (request.rawJsonBody !== null) request.rawJsonBody = appendJsonField(request.rawJsonBody, 'max_completion_tokens', maxTokens)
    }
    const amount = prompt + (maxTokens ?? 0)
    for (const b of limited) {
      if (amount > b.limit) {
        throw new SwitchyardError('REQUEST_EXCEEDS_TOKEN_LIMIT', { details: { requested: amount, limit: b.limit, limitName: limitNames[b.kind], plan: key.planName } })
      }
    }

    counted.add(request)
    if (buckets === null) {
      admitRate(reply, rate, countLocally(key, rate))
      if (plan.length > 0) await checkDurable(key, plan, amount, now)
      return
    }
    const counterKey = prefix + requestCounterName(key)
    const tpm = plan.findIndex((b) => b.kind === 'key-tpm')
    let leased = leases.take(key.id, rate, plan, amount, now)
    const pending = leased === undefined ? leases.pending(key.id) : undefined
    if (pending !== undefined) {
      // Another request of this key is taking a lease: wait for it rather than ask for ourselves.
      await pending
      leased = leases.take(key.id, rate, plan, amount, Date.now())
    }
    if (leased !== undefined) {
      // Admitted from this process's lease: no Redis call. The headers count what the lease took.
      setRequestRateHeaders(reply, rate, leased.counterAtGrant - leased.requests, leased.windowEndsAt - now)
      if (tpm >= 0) setTokenRateHeaders(reply, plan[tpm]!.limit, leased.tpmAtGrant - leased.tokens, now)
      if (plan.length > 0) reserve(request, plan, amount, leased)
      return
    }
    let result: ReserveResult
    let granted: LeaseSize | null
    let lease: Lease | undefined
    try {
      if (!app.redisFallbacks.available()) throw new RedisSkipped()
      const asked = leases.sizeFor(key.id, rate, plan, amount, now)
      ;({ result, granted, lease } = await reserveInRedis(key, counterKey, rate, plan, amount, asked, now, tpm))
    } catch (err) {
      if (err instanceof SwitchyardError) throw err
      await fallBack(request, reply, rate, err, plan, amount, now)
      return
    }
    // The script decides (a retry after a rebuild reads the counter and is never refused for it).
    if (result.outcome === 'throttled' || result.outcome === 'lease-refused') throw rateLimitExceeded(rate, noteCount(key, rate, result.requests).ttl)
    // What a granted lease took is not this request's: the headers show the counters without it.
    setRequestRateHeaders(reply, rate, result.requests.current - (granted?.requests ?? 0), result.requests.ttl)
    if (result.outcome === 'refused') {
      const b = plan[result.bucket]!
      const limit = b.limit ?? 0
      if (b.kind !== 'key-tpm') throw quotaExceeded(key, b, result.used, limit, now)
      const retryAfterSeconds = Math.max(1, Math.ceil(minuteWindow(now).remainingMs / 1000))
      throw new SwitchyardError('TOKEN_RATE_LIMIT_EXCEEDED', {
        details: { limit, used: result.used, requested: amount, retryAfterSeconds },
        headers: { 'retry-after': String(retryAfterSeconds) }
      })
    }
    if (result.outcome === 'missing') throw new Error('monthly token counter could not be rebuilt')
    if (plan.length === 0) return
    if (tpm >= 0) setTokenRateHeaders(reply, plan[tpm]!.limit, (result.values[tpm] ?? 0) - (granted?.tokens ?? 0), now)
    // Charged with the lease it took, in the same call: what it leaves unused can go into the lease too.
    reserve(request, plan, amount, lease)
  }

  /**
   * The admission call: counts the request (and the lease asked for, if any), reserves its
   * tokens (and the lease's). A lease that does not fit is given up and the request asks alone; a
   * monthly counter missing in Redis is rebuilt from Postgres and the call made again.
   */
  const reserveInRedis = async (key: ResolvedKey, counterKey: string, rate: RequestRate, plan: Bucket[], amount: number, asked: LeaseSize | null, now: number, tpm: number): Promise<{ result: ReserveResult, granted: LeaseSize | null, lease?: Lease }> => {
    const tokensMustExist = (b: Bucket): boolean => b.kind !== 'key-tpm'
    let counted = false
    if (asked !== null) {
      let result: ReserveResult
      try {
        result = await buckets!.reserve({ key: counterKey, max: rate.max, windowMs: rate.windowMs, count: true, lease: asked.requests }, plan, amount + asked.tokens, tokensMustExist)
      } catch (err) {
        // Answered here, once: a later failure must not end another request's lease request.
        leases.abandoned(key.id)
        throw err
      }
      if (result.outcome === 'reserved') {
        // At once: requests of this key waiting on the lease go on with it.
        const tpmValue = tpm >= 0 ? (result.values[tpm] ?? 0) : -1
        const lease = leases.granted(key.id, asked, { counterKey, rate, plan, counter: result.requests.current, windowTtlMs: result.requests.ttl, tpm: tpmValue, tpmTtlMs: minuteWindow(now).remainingMs }, now)
        return { result, granted: asked, lease }
      }
      // Refused for a limit: the key is near it, no more leases for a while (a missing counter is not that).
      leases.abandoned(key.id, result.outcome === 'missing' ? undefined : now)
      // Counted with its lease unless the lease was refused for the rate: the lease's requests go back.
      if (result.outcome !== 'lease-refused') {
        buckets!.settle([counterKey], -asked.requests)
        counted = true
      }
      if (result.outcome === 'missing') await rebuild(plan[result.bucket]!, key, now)
    }
    let result: ReserveResult
    for (let attempt = 0; ; attempt++) {
      // A call after one that counted reads the request counter: this request was counted already.
      result = await buckets!.reserve({ key: counterKey, max: rate.max, windowMs: rate.windowMs, count: !counted }, plan, amount, tokensMustExist)
      counted = true
      if (result.outcome !== 'missing' || attempt === 2) break
      const missing = plan[result.bucket]
      if (missing !== undefined) await rebuild(missing, key, now)
    }
    return { result, granted: null }
  }

  /**
   * A metered request refused before admission (invalid body, model not allowed, over a token
   * limit by itself, a client hanging up mid-upload: Fastify answers those too) still counts
   * against the request rate, as on every other route. Counted after the answer went out (nobody
   * waits for it), once; a failure here is only noted.
   */
  const countUnadmitted = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    done()
    const key = request.apiKey
    if (key === null || counted.has(request)) return
    counted.add(request)
    void countRequest(key)
  }

  const countRequest = async (key: ResolvedKey): Promise<void> => {
    const rate = requestRateOf(key, config)
    if (buckets === null || !app.redisFallbacks.available()) {
      if (buckets === null || config.RATE_LIMIT_FAIL_OPEN) countLocally(key, rate)
    } else {
      try {
        noteCount(key, rate, (await buckets.reserve({ key: prefix + requestCounterName(key), max: rate.max, windowMs: rate.windowMs, count: true }, [], 0, () => false)).requests)
      } catch (err) {
        app.redisFallbacks.note('rate-limit', err, 'request limits are counted per process')
        if (config.RATE_LIMIT_FAIL_OPEN) countLocally(key, rate)
      }
    }
  }

  const flush = async (): Promise<void> => { await buckets?.flush() }
  app.decorate('quota', { refuseThrottled, admit, countUnadmitted, open, flush })
  // Queued settlements go out before the Redis client closes (this plugin's onClose runs first).
  app.addHook('onClose', async () => {
    leases.closeAll()
    await flush()
  })
  // Safety net: usage accounting settles every reservation with the real usage when the answer
  // is over. Should a request end without reaching it (the client left between this hook and the
  // route), the reservation is settled as reserved a second later (settle is idempotent), so it
  // neither leaks nor holds quota forever.
  app.addHook('onResponse', (request, _reply, done) => {
    const reservation = request.quotaReservation
    // Only for a reservation still open: accounting usually settled it already, and then no
    // timer is armed at all (one fewer timer per request on the hot path).
    if (reservation !== null && open.has(request.id)) setTimeout(() => { reservation.settle(reservation.reservedTokens) }, 1000).unref()
    done()
  })
}

export const quotaPlugin = fp(quota, { name: 'quota', fastify: '5.x', dependencies: ['redis', 'database'] })
