import { SwitchyardError, fromErrorEnvelope } from '@switchyard/errors'
import { markTracked } from '@switchyard/fastify-kit'
import { bodyText, requestStream, requestWhole, type StreamResponse, type WholeResponse } from '@switchyard/http-client'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Dispatcher } from 'undici'
import { TRACE_HEADER } from '../usage/trace-header.js'

type RouterHeaders = Dispatcher.ResponseData['headers']

export interface RouterCall {
  method: 'GET' | 'POST'
  path: string
  /** The JSON body's text (the client's bytes as they arrived, see jsonBodyText). */
  body?: string
  signal: AbortSignal
  /** Receives the router's `x-switchyard-*` headers when the router answers 2xx. */
  reply?: FastifyReply
  /** Receives the router's internal trace header (success or failure), if it sent one. */
  onTrace?: (raw: string) => void
  /** Receives a 2xx answer's headers as soon as they arrive, whatever then happens to its body. */
  onHeaders?: (headers: RouterHeaders) => void
}

const SWITCHYARD_HEADER_PREFIX = 'x-switchyard-'
/** Router → gateway only: facts the gateway consumes itself, never relayed to clients. */
const INTERNAL_HEADERS = new Set(['x-switchyard-usage', TRACE_HEADER])

/**
 * The router's `x-switchyard-*` headers (provider, model, deployment, attempts…), for the client.
 * Not the trace: it is stored with the usage row and read through GET /v1/requests/{id}, where
 * only the key that made the request sees it (docs/adr/0026).
 */
function switchyardHeaders (headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(SWITCHYARD_HEADER_PREFIX) || value === undefined || INTERNAL_HEADERS.has(name)) continue
    out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
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
  if (err?.code === 'NOT_FOUND' || err?.code === 'METHOD_NOT_ALLOWED') return new SwitchyardError('ROUTER_UNAVAILABLE', { message: 'The proxy-router does not serve this endpoint (are gateway and router the same version?).', cause: err })
  return err
}

function requestHeaders (request: FastifyRequest, call: RouterCall, internalToken: string): Record<string, string> {
  const headers: Record<string, string> = {
    'x-internal-token': internalToken,
    'x-request-id': request.id,
    accept: 'application/json, text/event-stream'
  }
  if (call.body !== undefined) headers['content-type'] = 'application/json'
  if (request.correlationId !== null) headers['x-correlation-id'] = request.correlationId
  return headers
}

/**
 * What the answer's headers say, passed on as soon as they arrive: the trace to its consumer
 * and, on success, the headers to the caller and the `x-switchyard-*` headers to the reply.
 */
function noteAnswer (call: RouterCall, statusCode: number, headers: RouterHeaders): void {
  const trace = headers[TRACE_HEADER]
  if (typeof trace === 'string') call.onTrace?.(trace)
  if (statusCode >= 400) return
  call.onHeaders?.(headers)
  void call.reply?.headers(switchyardHeaders(headers))
}

/**
 * A non-2xx answer of the router as the error to throw: its code, message, details, status,
 * `x-should-retry`, `Retry-After` and `x-switchyard-*` headers as the router sent them; only
 * the request id becomes the gateway's own.
 */
function routerAnswerError (statusCode: number, headers: RouterHeaders, raw: string): SwitchyardError {
  let parsed: unknown
  try { parsed = JSON.parse(raw) } catch { parsed = undefined }
  const routerErr = fromErrorEnvelope(statusCode, parsed)
  const err = asGatewayError(routerErr) ??
    new SwitchyardError('ROUTER_UNAVAILABLE', { message: `The proxy-router answered ${statusCode} without a Switchyard error body.` })
  Object.assign(err.headers, switchyardHeaders(headers))
  const retryAfter = headers['retry-after']
  if (typeof retryAfter === 'string') err.headers['retry-after'] = retryAfter
  // For an error passed through as the router sent it, the router decided whether a retry can
  // help (e.g. false after its own retries ran out); the catalogue default must not override it.
  const shouldRetry = headers['x-should-retry']
  if (err === routerErr && (shouldRetry === 'true' || shouldRetry === 'false')) err.headers['x-should-retry'] = shouldRetry
  // Passed through as the router explained it: the router already logged it (a provider failure
  // once, through its error tracker). The gateway's line stays at info, or every upstream failure
  // would alert twice. Failures of the link itself (ROUTER_*) are the gateway's own to report.
  if (err === routerErr) markTracked(err)
  return err
}

/**
 * One call to the proxy-router through the shared keep-alive pool, authenticated with the
 * internal token and carrying the request id (and the client's correlation id), for an answer
 * that is relayed as it arrives (a stream). A non-2xx answer is thrown as the router explained
 * it (see routerAnswerError). Only a failure of the call itself (connect, reset, timeout) becomes
 * ROUTER_*: the body's text is made by the caller, so a body that cannot be serialised is not
 * blamed on the router.
 */
export async function callRouter (app: FastifyInstance, request: FastifyRequest, call: RouterCall, internalToken: string): Promise<StreamResponse> {
  let res: StreamResponse
  try {
    res = await requestStream(app.router, { method: call.method, path: call.path, headers: requestHeaders(request, call, internalToken), body: call.body, signal: call.signal })
  } catch (err) {
    throw routerTransportError(err)
  }
  noteAnswer(call, res.statusCode, res.headers)
  if (res.statusCode < 400) return res
  throw routerAnswerError(res.statusCode, res.headers, await res.body.text().catch(() => ''))
}

/**
 * callRouter for an answer read whole (a JSON completion, an embedding list, the model list):
 * the body arrives as one Buffer, without a stream in between (@switchyard/http-client). A
 * router whose 2xx answer breaks mid-body is named like one that fails before answering; an
 * error answer that breaks mid-body is passed on with what its headers said, as when its body
 * is not an error envelope.
 */
export async function callRouterWhole (app: FastifyInstance, request: FastifyRequest, call: RouterCall, internalToken: string): Promise<WholeResponse> {
  let failed: { statusCode: number, headers: RouterHeaders } | undefined
  let res: WholeResponse
  try {
    res = await requestWhole(app.router, {
      method: call.method,
      path: call.path,
      headers: requestHeaders(request, call, internalToken),
      body: call.body,
      signal: call.signal,
      // Before the body: a router that fails mid-body has still said who served the request.
      onHeaders: (statusCode, headers) => {
        if (statusCode >= 400) failed = { statusCode, headers }
        noteAnswer(call, statusCode, headers)
      }
    })
  } catch (err) {
    if (failed !== undefined && !call.signal.aborted) throw routerAnswerError(failed.statusCode, failed.headers, '')
    throw routerTransportError(err)
  }
  if (res.statusCode < 400) return res
  throw routerAnswerError(res.statusCode, res.headers, bodyText(res.body))
}
