// One accounting lifecycle per request. Decorates `beginUsage(request, reply, start)` (the route
// calls it once the request is valid and about to reach the router) and `request.usageOutcome`.
// Hooks, not handlers, record: the usage row is built exactly once, when the response finished
// (onResponse) or the client left (the response's 'close'), whichever comes first, and the quota
// reservation is settled with the same tokens. Depends on `usage-recorder`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { settleOutcome, type OutcomeStart, type RequestOutcome } from './request-outcome.js'
import { maxLengths, sanitizeOptional, sanitizeText } from './sanitize.js'
import { parseTrace } from './trace-header.js'

declare module 'fastify' {
  interface FastifyInstance {
    beginUsage: (request: FastifyRequest, reply: FastifyReply, start: OutcomeStart) => RequestOutcome
  }
  interface FastifyRequest {
    /** Filled by the route once the request reaches the router; null before and elsewhere. */
    usageOutcome: RequestOutcome | null
  }
}

/** The catalogue code of an error envelope the error handler serialized ('' if not one). */
function envelopeCode (payload: string): string | undefined {
  try {
    const code = (JSON.parse(payload) as { error?: { code?: unknown } } | null)?.error?.code
    return typeof code === 'string' ? code : undefined
  } catch {
    return undefined
  }
}

async function accounting (app: FastifyInstance): Promise<void> {
  app.decorateRequest('usageOutcome', null)
  // The quota plugin owns this decoration; without it (or before it is registered) settling is a no-op.
  if (!app.hasRequestDecorator('quotaReservation')) app.decorateRequest('quotaReservation', null)

  const finish = (request: FastifyRequest, reply: FastifyReply): void => {
    const o = request.usageOutcome
    if (o === null || o.recorded) return
    o.recorded = true
    try {
      const res = reply.raw
      const settled = settleOutcome(o, { finished: res.writableFinished, headersSent: res.headersSent, statusCode: reply.statusCode })
      request.quotaReservation?.settle(settled.totalTokens)
      const key = request.apiKey
      if (key === null) return
      const firstByteAt = o.stream?.firstByteAt ?? o.firstByteAt
      app.usage.record({
        apiKeyId: key.id,
        userId: key.userId,
        requestId: request.id,
        correlationId: sanitizeOptional((request as { correlationId?: unknown }).correlationId, maxLengths.correlationId),
        endpoint: o.endpoint,
        model: sanitizeText(o.model, maxLengths.model),
        provider: sanitizeOptional(o.provider, maxLengths.provider),
        deployment: sanitizeOptional(o.deployment, maxLengths.deployment),
        promptTokens: settled.promptTokens,
        completionTokens: settled.completionTokens,
        totalTokens: settled.totalTokens,
        estimated: settled.estimated,
        statusCode: settled.statusCode,
        errorCode: sanitizeOptional(settled.errorCode, maxLengths.errorCode),
        streamed: o.streamed,
        latencyMs: Math.round(performance.now() - o.startedAt),
        ttfbMs: firstByteAt === undefined ? null : Math.round(firstByteAt - o.startedAt),
        attempts: parseTrace(o.trace) ?? null,
        // When the request was answered, not when its batch reached the database (which can be
        // minutes later while the database is down): quotas count the request in its own month.
        createdAt: new Date()
      })
    } catch (err) {
      // Runs in an event listener: a throw here would take the process down.
      request.log.error({ err }, 'failed to account usage')
    }
  }

  app.decorate('beginUsage', (request: FastifyRequest, reply: FastifyReply, start: OutcomeStart): RequestOutcome => {
    const outcome: RequestOutcome = { ...start, startedAt: performance.now(), recorded: false }
    request.usageOutcome = outcome
    // 'close' fires after a finished response and when the client leaves early; onResponse
    // alone misses the latter (and hijacked replies).
    reply.raw.once('close', () => finish(request, reply))
    return outcome
  })

  // Error answers are written by the error handler: their code is read back from the envelope
  // (error paths only; a success never gets here with a status >= 400).
  app.addHook('onSend', (request, reply, payload, done) => {
    const o = request.usageOutcome
    if (o !== null && o.errorCode === undefined && reply.statusCode >= 400 && typeof payload === 'string') {
      o.errorCode = envelopeCode(payload)
    }
    done(null, payload)
  })
  app.addHook('onResponse', (request, reply, done) => {
    // A request refused before it reached a route (a later hook, validation) may still hold a
    // reservation: nothing was used. settle() is idempotent, so this never double-counts.
    if (request.usageOutcome === null) request.quotaReservation?.settle(0)
    else finish(request, reply)
    done()
  })
}

export const usageAccountingPlugin = fp(accounting, { name: 'usage-accounting', fastify: '5.x', dependencies: ['usage-recorder'] })
