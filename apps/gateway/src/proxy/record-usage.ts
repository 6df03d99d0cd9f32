import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { StreamUsage } from './sse-usage-tap.js'

export interface Outcome {
  model: string
  provider: string | undefined
  usage: StreamUsage | undefined
  statusCode: number
  errorCode: string | undefined
  streamed: boolean
  startedAt: number
}

/** Turns the outcome of one proxied request into a usage_events row (written asynchronously). */
export function recordUsage (app: FastifyInstance, request: FastifyRequest, o: Outcome): void {
  const key = request.apiKey
  if (key === null) return
  app.usage.record({
    apiKeyId: key.id,
    userId: key.userId,
    requestId: request.id,
    model: o.model,
    provider: o.provider ?? null,
    promptTokens: o.usage?.promptTokens ?? 0,
    completionTokens: o.usage?.completionTokens ?? 0,
    totalTokens: o.usage?.totalTokens ?? 0,
    statusCode: o.statusCode,
    errorCode: o.errorCode ?? null,
    streamed: o.streamed,
    latencyMs: Math.round(performance.now() - o.startedAt)
  })
}
