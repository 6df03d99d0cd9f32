import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Counter } from 'prom-client'
import { settledUsageOf } from './settled-usage.js'

/** Distinct model labels kept; past it, "other" (the routing table is far smaller). */
const MAX_MODELS = 100

/**
 * `switchyard_tokens_total{model,type}`: the tokens of every request that reached the router, as
 * accounting settles them (estimates included), when its response ends or its client leaves.
 * The model label is the deployment's model the router answered with (x-switchyard-model, from
 * its routing table), never the client's string; no answer (a failure) or a label past the cap
 * counts as "other". A hook, not handler code. See docs/metrics.md.
 */
export function registerTokenMetrics (app: FastifyInstance): void {
  const tokens = new Counter({ name: 'switchyard_tokens_total', help: 'Tokens of requests that reached the router, by the routing table\'s model and type (prompt, completion)', labelNames: ['model', 'type'], registers: [app.metrics.registry] })
  const seen = new Set<string>()
  const modelLabel = (reply: FastifyReply): string => {
    const model = reply.getHeader('x-switchyard-model')
    if (typeof model !== 'string') return 'other'
    if (seen.has(model)) return model
    if (seen.size >= MAX_MODELS) return 'other'
    seen.add(model)
    return model
  }
  const count = (request: FastifyRequest, reply: FastifyReply, finished: boolean): void => {
    const settled = settledUsageOf(request, reply, finished)
    if (settled === undefined) return
    const model = modelLabel(reply)
    if (settled.promptTokens > 0) tokens.inc({ model, type: 'prompt' }, settled.promptTokens)
    if (settled.completionTokens > 0) tokens.inc({ model, type: 'completion' }, settled.completionTokens)
  }
  app.addHook('onRequest', (request, reply, done) => {
    let counted = false
    const once = (finished: boolean) => () => {
      if (counted) return
      counted = true
      count(request, reply, finished)
    }
    // 'finish': the whole answer went out; 'close' alone: the client left (a stream cut short is still billed).
    reply.raw.once('finish', once(true))
    reply.raw.once('close', once(false))
    done()
  })
}
