import type { Readable } from 'node:stream'
import { bodyText, requestStream, requestWhole, type StreamResponse, type WholeResponse } from '@switchyard/http-client'
import type { SwitchyardError } from '@switchyard/errors'
import type { Dispatcher } from 'undici'
import { wantsStream, type OperationRequest, type OperationResponse, type ProviderAdapter, type ProviderOperation } from '../providers/types.js'
import type { RoutedDeployment } from '../routing/routing-table.js'
import { classifyTransportError, classifyUnreadableResponse, classifyUpstreamResponse } from './classify.js'

export interface ProviderCall<Op extends ProviderOperation = ProviderOperation> {
  /** The keep-alive pool of the deployment's provider origin. */
  dispatcher: Dispatcher
  adapter: ProviderAdapter
  deployment: RoutedDeployment
  op: Op
  body: OperationRequest<Op>
  /** Forwarded as x-request-id so one id follows the request into the provider's logs. */
  requestId: string
  /**
   * Aborts when the client goes away or a deadline of the attempt loop passes: undici then
   * closes the provider connection.
   */
  signal: AbortSignal
}

export type ProviderResult<Op extends ProviderOperation = ProviderOperation> =
  /** `text`: the provider's bytes, to relay as they are (adapters whose answer is already OpenAI's). */
  | { kind: 'json', status: number, body: OperationResponse<Op>, text?: string }
  /**
   * An OpenAI-shaped SSE byte stream: the caller relays `held` (bytes already read from it, the
   * preamble up to the first content; none as callProvider returns it), then the rest of `body`.
   */
  | { kind: 'stream', status: number, body: Readable, held?: Buffer }

const header = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] : v) ?? ''

async function readBody (res: StreamResponse, call: ProviderCall): Promise<string> {
  try {
    return await res.body.text()
  } catch (err) {
    if (call.signal.aborted) throw err
    throw classifyTransportError(call.deployment.provider.id, err, res.statusCode)
  }
}

/** The provider's non-2xx answer as the catalogue error it stands for. */
function upstreamError (call: ProviderCall, status: number, headers: StreamResponse['headers'], text: string): SwitchyardError {
  return classifyUpstreamResponse({ provider: call.deployment.provider.id, status, headers, error: call.adapter.parseError(text), body: text })
}

/** The request an adapter builds for one attempt, as the pool sends it. */
interface AttemptRequest {
  method: 'POST'
  path: string
  headers: Record<string, string>
  body: string
  signal: AbortSignal
}

/**
 * One attempt against one deployment. Resolves with the parsed completion or the SSE body;
 * rejects with a classified SwitchyardError, or with the raw abort error when `signal` fired
 * (the caller checks `signal.aborted`: nobody is left to answer).
 *
 * Every response body is consumed or destroyed, so the connection goes back to the pool.
 */
export async function callProvider<Op extends ProviderOperation> (call: ProviderCall<Op>): Promise<ProviderResult<Op>> {
  const built = call.adapter.buildRequest(call.op, call.body, call.deployment)
  const req: AttemptRequest = { method: 'POST', path: built.path, headers: { ...built.headers, 'x-request-id': call.requestId }, body: built.body, signal: call.signal }
  return wantsStream(call.op, call.body) ? await callForStream(call, req) : await callForJson(call, req)
}

/**
 * A JSON answer, read whole without a stream in between (@switchyard/http-client): a small
 * completion costs the router noticeably less CPU that way than through `request()`.
 */
async function callForJson<Op extends ProviderOperation> (call: ProviderCall<Op>, req: AttemptRequest): Promise<ProviderResult<Op>> {
  const provider = call.deployment.provider.id
  // Known once the headers are in: a body that fails afterwards is reported with it.
  let answered: number | undefined
  let res: WholeResponse
  try {
    res = await requestWhole(call.dispatcher, { ...req, onHeaders: (statusCode) => { answered = statusCode } })
  } catch (err) {
    if (call.signal.aborted) throw err
    throw classifyTransportError(provider, err, answered)
  }
  const status = res.statusCode
  const text = bodyText(res.body)
  if (status < 200 || status >= 300) throw upstreamError(call, status, res.headers, text)
  try {
    const parsed = call.adapter.parseResponse(call.op, text)
    return call.adapter.relaysJsonAnswer === true ? { kind: 'json', status, body: parsed, text } : { kind: 'json', status, body: parsed }
  } catch (err) {
    throw classifyUnreadableResponse(provider, status, err)
  }
}

/** A streamed answer: its body is handed on unread (transformed for adapters that need it). */
async function callForStream<Op extends ProviderOperation> (call: ProviderCall<Op>, req: AttemptRequest): Promise<ProviderResult<Op>> {
  const provider = call.deployment.provider.id
  let res: StreamResponse
  try {
    res = await requestStream(call.dispatcher, req)
  } catch (err) {
    if (call.signal.aborted) throw err
    throw classifyTransportError(provider, err)
  }

  const status = res.statusCode
  if (status < 200 || status >= 300) throw upstreamError(call, status, res.headers, await readBody(res, call))

  const contentType = header(res.headers['content-type'])
  if (!contentType.toLowerCase().startsWith('text/event-stream')) {
    const text = await readBody(res, call)
    throw classifyUnreadableResponse(provider, status, new Error(`expected text/event-stream, got "${contentType}": ${text.slice(0, 300)}`))
  }
  // A converter fails with the body's failure, which the relay turns into the final error event
  // exactly as for a body passed through as it is.
  const stream = call.adapter.convertStream?.(call.deployment, res.body) ?? res.body
  return { kind: 'stream', status, body: stream }
}
