import { setTimeout as sleep } from 'node:timers/promises'
import { isSwitchyardError, SwitchyardError, type ErrorCode, type ErrorDetails } from '@switchyard/errors'
import type { FastifyBaseLogger } from 'fastify'
import type { Dispatcher } from 'undici'
import { adapterFor } from '../providers/registry.js'
import { wantsStream, type OperationRequest, type ProviderOperation } from '../providers/types.js'
import { planAttempts } from '../routing/plan-attempts.js'
import { decideRetry, type RetryDecision, type RetrySettings } from '../routing/retry-policy.js'
import type { RoutedDeployment } from '../routing/routing-table.js'
import { callProvider, type ProviderResult } from './call-provider.js'
import { forClient, locationOf, type UpstreamErrorDetail } from './client-detail.js'
import { awaitFirstContent } from './first-content.js'
import { encodeTrace, TRACE_HEADER, type TraceAttempt } from './trace-header.js'
import type { TimeoutPhase } from './transport-failure.js'

// The one attempt loop (docs/adr/0013): plan the deployments, try them, retry or fall back as
// routing/retry-policy.ts decides, within one deadline. The only code of the router that sleeps
// or retries. A stream counts as served once its first content arrived (awaitFirstContent);
// after that nothing is retried.

export interface AttemptSettings extends RetrySettings {
  /** Attempt phase deadline: the whole answer (non-streams), the first content (streams). */
  totalTimeoutMs: number
  /** Per attempt of a stream: from the call to its first content. */
  firstTokenTimeoutMs: number
  detail: UpstreamErrorDetail
}

/** What the loop needs from the cooldown plugin. */
export interface CooldownView {
  isCoolingDown: (id: string) => boolean
  recordSuccess: (id: string) => void
  recordFailure: (id: string, code: ErrorCode, retryAfterMs?: number) => void
}

/** What the loop does after a failed attempt. */
export type NextStep = 'retry' | 'fallback' | 'stop'

export interface AttemptContext {
  /** The deployment's dispatcher (its provider's pool, timed by provider and model). */
  dispatcherFor: (deployment: RoutedDeployment) => Dispatcher
  cooldowns: CooldownView
  settings: AttemptSettings
  log: FastifyBaseLogger
  /** [0, 1): Math.random unless a test fixes it. */
  random?: () => number
  /**
   * Told of every failed attempt and what the loop does next (error tracking groups them, the
   * metrics count retries and fallbacks; the log line here is info).
   */
  onFailure?: (err: SwitchyardError, deployment: RoutedDeployment, attempt: number, next: NextStep) => void
}

export interface AttemptRequest<Op extends ProviderOperation = ProviderOperation> {
  deployments: readonly RoutedDeployment[]
  op: Op
  body: OperationRequest<Op>
  requestId: string
  /** The client went away: stop everything (the loop then rethrows the abort). */
  signal: AbortSignal
}

/** One line of details.attempts. */
export interface AttemptRecord {
  deployment: string
  code: ErrorCode
  providerStatus?: number
  cause?: string
}

export interface AttemptSuccess<Op extends ProviderOperation = ProviderOperation> {
  deployment: RoutedDeployment
  /** Attempts made, the successful one included. */
  attempts: number
  result: ProviderResult<Op>
  /** Every attempt (and deployment skipped for its cooldown), the successful one last. */
  trace: TraceAttempt[]
}

/** Why the loop aborted an attempt itself (vs. the client leaving). */
class Deadline extends Error {
  constructor (readonly phase: Extract<TimeoutPhase, 'first_token' | 'total'>) {
    super(`${phase} deadline passed`)
  }
}

const transportCauses = new Set(['dns_failure', 'connection_refused', 'connection_reset', 'host_unreachable', 'tls_failure', 'timeout', 'bad_framing'])

/** The low-level text of a transport error (getaddrinfo/connect/TLS), for `full` detail only. */
function transportText (err: SwitchyardError): string | undefined {
  if (!transportCauses.has(String(err.details?.['cause']))) return undefined
  const cause = err.cause
  if (cause instanceof AggregateError) return cause.errors.map((e: unknown) => String((e as Error).message)).join('; ')
  return cause instanceof Error && cause.message !== '' ? cause.message : undefined
}

/**
 * A controller that aborts when `source` does, with its reason. Cheaper than AbortSignal.any
 * (no composite signal, weak references or finalizers per request); the listener lives as long
 * as the source, which is the request's own signal.
 */
function follow (source: AbortSignal): AbortController & { unfollow: () => void } {
  const controller = new AbortController()
  const onAbort = (): void => { controller.abort(source.reason) }
  if (source.aborted) controller.abort(source.reason)
  else source.addEventListener('abort', onAbort, { once: true })
  return Object.assign(controller, { unfollow: () => { source.removeEventListener('abort', onAbort) } })
}

/**
 * `loop` aborts when the client leaves or the total deadline passes. A stream's attempt has a
 * first-token deadline of its own, on a controller that follows the loop's; a whole answer's
 * attempt uses the loop's signal as it is (one controller per request, not per attempt).
 */
async function attemptOnce<Op extends ProviderOperation> (ctx: AttemptContext, req: AttemptRequest<Op>, deployment: RoutedDeployment, loop: AbortSignal): Promise<ProviderResult<Op>> {
  const streaming = wantsStream(req.op, req.body)
  const mine = streaming ? follow(loop) : undefined
  const signal = mine?.signal ?? loop
  const timer = mine === undefined ? undefined : setTimeout(() => { mine.abort(new Deadline('first_token')) }, ctx.settings.firstTokenTimeoutMs)
  let handedOn = false
  const provider = deployment.provider
  const adapter = adapterFor(provider.type)
  try {
    const result = await callProvider({
      dispatcher: ctx.dispatcherFor(deployment),
      adapter,
      deployment,
      op: req.op,
      body: req.body,
      requestId: req.requestId,
      signal
    })
    if (result.kind === 'stream') {
      const first = await awaitFirstContent(result.body, { provider: provider.id, status: result.status, adapter, signal })
      const served = { ...result, body: first.body, held: first.held }
      // The stream being relayed stays on this attempt's signal: a client leaving later must still cancel it.
      handedOn = true
      return served
    }
    return result
  } catch (err) {
    if (req.signal.aborted) throw err
    const reason: unknown = signal.aborted ? signal.reason : undefined
    if (reason instanceof Deadline) {
      throw new SwitchyardError('PROVIDER_TIMEOUT', { details: { provider: provider.id, cause: 'timeout', timeout: reason.phase }, cause: reason })
    }
    if (isSwitchyardError(err)) throw err
    // Building the upstream request failed (e.g. a body JSON.stringify cannot serialise).
    throw new SwitchyardError('INTERNAL_ERROR', { cause: err })
  } finally {
    clearTimeout(timer)
    // A failed stream attempt lets go of the loop's signal: retries of one request add no listeners.
    if (!handedOn) mine?.unfollow()
  }
}

/** The last attempt's error, naming every attempt, as the client may see it. */
function finalError (last: SwitchyardError, deployment: RoutedDeployment, attempts: AttemptRecord[], trace: TraceAttempt[], detail: UpstreamErrorDetail): SwitchyardError {
  const upstreamError = transportText(last)
  const details: ErrorDetails = {
    ...last.details,
    deployment: deployment.id,
    ...locationOf(deployment.provider.origin),
    ...(upstreamError === undefined ? {} : { upstreamError }),
    attempts
  }
  // The router already retried or fell back: a client retrying the whole plan multiplies waits.
  const headers: Record<string, string> = attempts.length > 1 ? { ...last.headers, 'x-should-retry': 'false' } : { ...last.headers }
  headers[TRACE_HEADER] = encodeTrace(trace)
  const err = new SwitchyardError(last.code, { message: last.message, details, headers, cause: last.cause ?? last, status: last.statusCode })
  return forClient(err, detail)
}

interface LoopState {
  readonly startedAt: number
  /** Aborts when the client leaves (the request's signal) or the total deadline passes. */
  readonly loop: AbortSignal
  readonly random: () => number
  readonly attempts: AttemptRecord[]
  readonly trace: TraceAttempt[]
  last?: { err: SwitchyardError, deployment: RoutedDeployment }
}

/** Attempts on one deployment until it serves, or the policy says fall back or stop. */
async function tryDeployment<Op extends ProviderOperation> (ctx: AttemptContext, req: AttemptRequest<Op>, deployment: RoutedDeployment, state: LoopState): Promise<AttemptSuccess<Op> | 'fallback' | 'stop'> {
  const { settings } = ctx
  for (let n = 1; ; n++) {
    let err: SwitchyardError
    const began = performance.now()
    try {
      const result = await attemptOnce(ctx, req, deployment, state.loop)
      ctx.cooldowns.recordSuccess(deployment.id)
      state.trace.push({ deployment: deployment.id, provider: deployment.provider.id, outcome: 's', upstreamStatus: result.status, code: null, durationMs: performance.now() - began })
      return { deployment, attempts: state.attempts.length + 1, result, trace: state.trace }
    } catch (thrown) {
      if (req.signal.aborted) throw thrown
      err = thrown as SwitchyardError
    }
    const status = err.details?.['providerStatus']
    state.trace.push({
      deployment: deployment.id,
      provider: deployment.provider.id,
      outcome: 'f',
      upstreamStatus: typeof status === 'number' ? status : null,
      code: err.code,
      durationMs: performance.now() - began
    })
    const cause = err.details?.['cause']
    state.attempts.push({
      deployment: deployment.id,
      code: err.code,
      ...(typeof status === 'number' ? { providerStatus: status } : {}),
      ...(typeof cause === 'string' ? { cause } : {})
    })
    state.last = { err, deployment }
    const hint = err.details?.['retryAfterMs']
    const retryAfterMs = typeof hint === 'number' ? hint : undefined
    ctx.cooldowns.recordFailure(deployment.id, err.code, retryAfterMs)
    const timeout = err.details?.['timeout']
    const decision: RetryDecision = timeout === 'total'
      ? { action: 'stop' }
      : decideRetry({ code: err.code, timeout: typeof timeout === 'string' ? timeout : undefined, retryAfterMs, attemptsOnDeployment: n }, settings, state.random)
    // A wait that would outlast the deadline is not worth it: another deployment may answer now.
    const next: NextStep = decision.action === 'retry' && decision.delayMs >= settings.totalTimeoutMs - (Date.now() - state.startedAt)
      ? 'fallback'
      : decision.action
    ctx.onFailure?.(err, deployment, state.attempts.length, next)
    // Info, not warn: the error tracker's grouped line is what alerts (once per fingerprint).
    ctx.log.info({
      deployment: deployment.id,
      attempt: state.attempts.length,
      code: err.code,
      providerStatus: status,
      next,
      err: err.cause ?? err
    }, 'provider attempt failed')
    if (next !== 'retry' || decision.action !== 'retry') return next === 'retry' ? 'stop' : next
    try {
      await sleep(decision.delayMs, undefined, { signal: state.loop })
    } catch (thrown) {
      if (req.signal.aborted) throw thrown
      return 'stop'
    }
  }
}

/** The trace's first lines: deployments the plan left out because they are cooling down. */
function skippedForCooldown (deployments: readonly RoutedDeployment[], plan: readonly RoutedDeployment[]): TraceAttempt[] {
  if (plan.length === deployments.length) return []
  const planned = new Set(plan)
  return deployments.filter((d) => !planned.has(d)).map((d) => ({ deployment: d.id, provider: d.provider.id, outcome: 'c', upstreamStatus: null, code: null, durationMs: 0 }))
}

/**
 * Serves `req` from the first deployment that can, or throws the final SwitchyardError. Throws
 * the raw abort when the client went away (the caller checks req.signal.aborted).
 */
export async function runAttempts<Op extends ProviderOperation> (ctx: AttemptContext, req: AttemptRequest<Op>): Promise<AttemptSuccess<Op>> {
  const random = ctx.random ?? Math.random
  const plan = planAttempts(req.deployments, { isCoolingDown: ctx.cooldowns.isCoolingDown, random })
  // Follows the client's signal past the loop: a stream being relayed still stops when the client leaves.
  const loop = follow(req.signal)
  const totalTimer = setTimeout(() => { loop.abort(new Deadline('total')) }, ctx.settings.totalTimeoutMs)
  const state: LoopState = { startedAt: Date.now(), loop: loop.signal, random, attempts: [], trace: skippedForCooldown(req.deployments, plan) }
  try {
    for (const deployment of plan) {
      const outcome = await tryDeployment(ctx, req, deployment, state)
      if (outcome === 'stop') break
      if (outcome !== 'fallback') return outcome
    }
  } finally {
    clearTimeout(totalTimer)
  }
  if (state.last === undefined) throw new SwitchyardError('INTERNAL_ERROR', { cause: new Error('no deployment to try') })
  throw finalError(state.last.err, state.last.deployment, state.attempts, state.trace, ctx.settings.detail)
}
