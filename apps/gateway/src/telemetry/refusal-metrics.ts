import { errorCodeOf } from '@switchyard/fastify-kit'
import type { FastifyInstance } from 'fastify'
import { Counter } from 'prom-client'

/**
 * What each refusal code means, as a bounded `kind` label. Derived from the catalogue code the
 * error handler answered with, so the rate limiter and the quota code stay untouched.
 * QUOTA_EXCEEDED is one `monthly_quota` kind, whether the user's or the key's own quota ran out
 * (the answer's details.scope tells which).
 */
export const refusalKinds: Readonly<Record<string, string>> = {
  RATE_LIMIT_EXCEEDED: 'request_rate',
  TOKEN_RATE_LIMIT_EXCEEDED: 'tokens_per_minute',
  QUOTA_EXCEEDED: 'monthly_quota',
  REQUEST_EXCEEDS_TOKEN_LIMIT: 'request_exceeds_token_limit',
  TOO_MANY_AUTH_FAILURES: 'auth_failures',
  RATE_LIMIT_STORE_UNAVAILABLE: 'limit_store_unavailable'
}

/** `switchyard_refusals_total{kind}`: requests the gateway's limits refused (onResponse hook). See docs/metrics.md. */
export function registerRefusalMetrics (app: FastifyInstance): void {
  const refusals = new Counter({ name: 'switchyard_refusals_total', help: 'Requests refused by a rate limit or quota, by kind', labelNames: ['kind'], registers: [app.metrics.registry] })
  // Every kind shows from the start at 0, so a rate() over it never starts from nothing.
  for (const kind of new Set(Object.values(refusalKinds))) refusals.inc({ kind }, 0)
  app.addHook('onResponse', (_request, reply, done) => {
    if (reply.statusCode >= 400) {
      const code = errorCodeOf(reply)
      const kind = code === undefined ? undefined : refusalKinds[code]
      if (kind !== undefined) refusals.inc({ kind })
    }
    done()
  })
}
