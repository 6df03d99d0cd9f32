import { SwitchyardError, fromErrorEnvelope } from '@switchyard/errors'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Dispatcher } from 'undici'

export interface RouterCall {
  method: 'GET' | 'POST'
  path: string
  body?: unknown
  signal: AbortSignal
}

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** Maps a transport failure talking to the router onto the catalogue; client aborts pass through. */
export function routerTransportError (err: unknown): unknown {
  const code = (err as { code?: string }).code
  if ((err as Error).name === 'AbortError' || code === 'UND_ERR_ABORTED') return err
  if (code !== undefined && timeoutCodes.has(code)) return new SwitchyardError('ROUTER_TIMEOUT', { cause: err })
  return new SwitchyardError('ROUTER_UNAVAILABLE', { cause: err })
}

/**
 * Router answers that describe the gateway↔router link rather than the client's request are the
 * operator's problem: a token mismatch must not reach clients as "401, your key is bad", and a
 * missing route means mismatched versions.
 */
function asGatewayError (err: SwitchyardError | undefined): SwitchyardError | undefined {
  if (err?.code === 'INVALID_INTERNAL_TOKEN') return new SwitchyardError('ROUTER_AUTH_FAILED', { cause: err })
  if (err?.code === 'NOT_FOUND') return new SwitchyardError('ROUTER_UNAVAILABLE', { message: 'The proxy-router does not serve this endpoint (are gateway and router the same version?).', cause: err })
  return err
}

/**
 * One call to the proxy-router through the shared keep-alive pool, authenticated with the
 * internal token and carrying the request id. A non-2xx answer is rebuilt into the router's own
 * SwitchyardError (same code, message, details, Retry-After), so the client sees the specific
 * upstream cause rather than a generic 502.
 */
export async function callRouter (app: FastifyInstance, request: FastifyRequest, call: RouterCall, internalToken: string): Promise<Dispatcher.ResponseData> {
  let res: Dispatcher.ResponseData
  try {
    res = await app.router.request({
      method: call.method,
      path: call.path,
      headers: {
        'x-internal-token': internalToken,
        'x-request-id': request.id,
        accept: 'application/json, text/event-stream',
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' })
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: call.signal
    })
  } catch (err) {
    throw routerTransportError(err)
  }
  if (res.statusCode < 400) return res

  const raw = await res.body.text().catch(() => '')
  let parsed: unknown
  try { parsed = JSON.parse(raw) } catch { parsed = undefined }
  const err = asGatewayError(fromErrorEnvelope(res.statusCode, parsed)) ??
    new SwitchyardError('ROUTER_UNAVAILABLE', { message: `The proxy-router answered ${res.statusCode} without a Switchyard error body.` })
  const retryAfter = res.headers['retry-after']
  if (typeof retryAfter === 'string') err.headers['retry-after'] = retryAfter
  throw err
}

/** Reads a whole router response body, naming a router that fails mid-body (timeout, reset). */
export async function readRouterBody (res: Dispatcher.ResponseData): Promise<string> {
  try {
    return await res.body.text()
  } catch (err) {
    throw routerTransportError(err)
  }
}
