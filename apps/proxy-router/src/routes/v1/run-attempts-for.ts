import { SwitchyardError } from '@switchyard/errors'
import { clientAbortSignal, markTracked } from '@switchyard/fastify-kit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { RouterConfig } from '../../config.js'
import { trackUpstreamFailure } from '../../error-tracking/upstream-failure.js'
import type { OperationRequest, ProviderOperation } from '../../providers/types.js'
import type { RoutingTable } from '../../routing/routing-table.js'
import { runAttempts, type AttemptSettings, type AttemptSuccess } from '../../upstream/attempt-loop.js'
import { attemptMetrics } from '../../upstream/attempt-metrics.js'
import { encodeTrace, TRACE_HEADER } from '../../upstream/trace-header.js'
import { usageHeader } from './usage-header.js'

// What every /v1 operation route does around the one attempt loop: the settings from config,
// the client's disconnect as the abort signal, failures to the error tracker, and the headers
// that say which deployment served and after how many attempts (and the internal trace of
// every attempt, upstream/trace-header.ts).

export function attemptSettingsOf (config: RouterConfig): AttemptSettings {
  return {
    totalTimeoutMs: config.ROUTER_TOTAL_TIMEOUT_MS,
    firstTokenTimeoutMs: config.PROVIDER_FIRST_TOKEN_TIMEOUT_MS,
    maxAttemptsPerDeployment: config.ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT,
    backoffBaseMs: config.ROUTER_BACKOFF_BASE_MS,
    backoffCapMs: config.ROUTER_BACKOFF_CAP_MS,
    retryAfterCapMs: config.ROUTER_RETRY_AFTER_CAP_MS,
    detail: config.UPSTREAM_ERROR_DETAIL
  }
}

export interface RouteAttempt<Op extends ProviderOperation> {
  app: FastifyInstance
  request: FastifyRequest
  reply: FastifyReply
  settings: AttemptSettings
  random: (() => number) | undefined
  routes: RoutingTable
  op: Op
  body: OperationRequest<Op>
}

/**
 * Runs the attempt loop for one request over the deployments of its alias (unknown or unroutable
 * alias: 404 MODEL_NOT_FOUND). Resolves with the success (its x-switchyard-* headers
 * already set), or with `undefined` when the client went away (the reply is hijacked: nobody is
 * left to answer). Final failures are thrown as catalogue errors, already reported per attempt.
 */
export async function runAttemptsFor<Op extends ProviderOperation> (a: RouteAttempt<Op>): Promise<{ served: AttemptSuccess<Op>, signal: AbortSignal } | undefined> {
  const { app, request, reply } = a
  const deployments = a.routes.models.get(a.body.model)
  if (deployments === undefined) throw new SwitchyardError('MODEL_NOT_FOUND', { details: { model: a.body.model } })
  // Not request.signal: on Node 20 it fires once the POST body is read (docs/adr/0006).
  const signal = clientAbortSignal(reply)
  let served: AttemptSuccess<Op>
  const counted = attemptMetrics(app.upstreamMetrics)
  try {
    served = await runAttempts({
      dispatcherFor: app.upstream.dispatcherForDeployment,
      cooldowns: app.cooldowns,
      settings: a.settings,
      log: request.log,
      random: a.random,
      onFailure: (err, tried, attempt, next) => {
        counted.onFailure(err, tried, next)
        app.providerHealth.failed(tried.provider, err)
        trackUpstreamFailure(app.errorTracker, err, tried, attempt)
      }
    }, { deployments, op: a.op, body: a.body, requestId: request.id, signal })
  } catch (err) {
    if (signal.aborted) {
      // The gateway hung up (its client left); the provider call is already cancelled.
      request.log.info({ model: a.body.model, op: a.op }, 'client disconnected before a provider answered')
      reply.hijack()
      return undefined
    }
    // Every attempt behind this error was reported to the error tracker already (onFailure):
    // its per-request line stays at info, so an outage is one grouped alert, not one per request.
    markTracked(err)
    throw err
  }
  const { deployment } = served
  counted.onServed(deployment)
  app.providerHealth.served(deployment.provider)
  void reply
    .header('x-switchyard-provider', deployment.provider.id)
    .header('x-switchyard-model', deployment.model)
    .header('x-switchyard-deployment', deployment.id)
    .header('x-switchyard-attempts', String(served.attempts))
    // Internal (the gateway stores it and strips it): every attempt, for GET /v1/requests/{id}.
    .header(TRACE_HEADER, encodeTrace(served.trace))
  if (served.result.kind === 'json') {
    const usage = usageHeader(served.result.body)
    if (usage !== undefined) void reply.header('x-switchyard-usage', usage)
  }
  return { served, signal }
}
