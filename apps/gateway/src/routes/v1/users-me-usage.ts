import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import { monthStart, nextMonthStart } from '../../quota/period.js'
import { usageBreakdown } from '../../quota/usage-totals.js'

const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()])

export const UserUsageSchema = Type.Object({
  object: Type.Literal('usage'),
  user_id: Type.String(),
  plan: Type.String(),
  period: Type.Object({ start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }) }),
  /** Tokens the user's keys used this period, from the recorded usage events. */
  tokens_used: Type.Integer(),
  /** The user's monthly token quota; null = unlimited. */
  quota: Nullable(Type.Integer()),
  /** tokens left this period; null = unlimited. */
  tokens_remaining: Nullable(Type.Integer()),
  reset_at: Type.String({ format: 'date-time' }),
  requests: Type.Integer(),
  by_model: Type.Array(Type.Object({
    model: Type.String(),
    requests: Type.Integer(),
    prompt_tokens: Type.Integer(),
    completion_tokens: Type.Integer(),
    total_tokens: Type.Integer()
  })),
  by_day: Type.Array(Type.Object({ date: Type.String(), requests: Type.Integer(), total_tokens: Type.Integer() }))
})

/**
 * GET /v1/users/me/usage: the calling key's owner's usage this calendar month (UTC), with plan,
 * quota and reset time, per model and per day. Read from usage_events, the durable record, so it
 * agrees with billing; requests still in flight are not in it yet.
 */
export const usersMeUsageRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/users/me/usage', {
    schema: { response: { 200: UserUsageSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema } }
  }, async (request) => {
    const key = request.apiKey!
    const now = Date.now()
    const start = monthStart(now)
    const end = nextMonthStart(now)
    const breakdown = await usageBreakdown(app.db, key.userId, start)
    const used = breakdown.byModel.reduce((n, m) => n + m.totalTokens, 0)
    const quota = key.userMonthlyQuota
    return {
      object: 'usage' as const,
      user_id: key.userId,
      plan: key.planName,
      period: { start: start.toISOString(), end: end.toISOString() },
      tokens_used: used,
      quota,
      tokens_remaining: quota === null ? null : Math.max(0, quota - used),
      reset_at: end.toISOString(),
      requests: breakdown.byModel.reduce((n, m) => n + m.requests, 0),
      by_model: breakdown.byModel.map((m) => ({ model: m.model, requests: m.requests, prompt_tokens: m.promptTokens, completion_tokens: m.completionTokens, total_tokens: m.totalTokens })),
      by_day: breakdown.byDay.map((d) => ({ date: d.date, requests: d.requests, total_tokens: d.totalTokens }))
    }
  })
}
