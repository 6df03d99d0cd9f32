import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { SwitchyardError, errorHeaders, toErrorEnvelope } from '@switchyard/errors'
import type { FastifyInstance } from 'fastify'
import { mintRequestId } from './request-id.js'

/** Node's parser codes (llhttp) for framing the request cannot be trusted with, named for the client. */
const framingReasons: Record<string, string> = {
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length together with Transfer-Encoding',
  HPE_INVALID_TRANSFER_ENCODING: 'invalid Transfer-Encoding',
  HPE_INVALID_CONTENT_LENGTH: 'invalid Content-Length',
  HPE_INVALID_METHOD: 'invalid method',
  HPE_INVALID_URL: 'invalid request target',
  HPE_INVALID_VERSION: 'invalid HTTP version',
  HPE_INVALID_HEADER_TOKEN: 'invalid header',
  HPE_INVALID_CONSTANT: 'malformed request line',
  HPE_INVALID_CHUNK_SIZE: 'invalid chunk size',
  HPE_CR_EXPECTED: 'malformed line ending',
  HPE_LF_EXPECTED: 'malformed line ending'
}

function toClientError (err: NodeJS.ErrnoException): SwitchyardError {
  if (err.code === 'HPE_HEADER_OVERFLOW') return new SwitchyardError('REQUEST_HEADERS_TOO_LARGE')
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new SwitchyardError('REQUEST_TIMEOUT')
  // llhttp reports the Content-Length + Transfer-Encoding conflict as an invalid Transfer-Encoding.
  const conflict = /Content-Length/i.test((err as { reason?: unknown }).reason as string ?? '')
  const reason = conflict ? 'Content-Length together with Transfer-Encoding' : framingReasons[err.code ?? ''] ?? 'malformed request'
  return new SwitchyardError('MALFORMED_HTTP_REQUEST', { details: { reason } })
}

/**
 * Fastify `clientErrorHandler`: requests Node refuses before Fastify sees them (headers too large,
 * a broken request line, Content-Length with Transfer-Encoding) get the catalogue's envelope with
 * a fresh request id, like every other error, instead of Fastify's own JSON. The connection is
 * then closed: its framing can no longer be trusted.
 *
 * Logs only the code: Node's error carries `rawPacket`, the raw request bytes, which may hold an
 * Authorization header.
 */
export function clientErrorHandler (this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const swErr = toClientError(err)
  const requestId = mintRequestId()
  this.log.info({ reqId: requestId, code: swErr.code, parserCode: err.code, status: swErr.statusCode }, swErr.message)
  if (socket.writable) {
    const body = JSON.stringify(toErrorEnvelope(swErr, requestId))
    const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close', 'x-request-id': requestId, ...errorHeaders(swErr) }
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')
    socket.end(`HTTP/1.1 ${swErr.statusCode} ${STATUS_CODES[swErr.statusCode] ?? 'Error'}\r\n${head}\r\n${body}`, () => socket.destroy())
  } else {
    socket.destroy()
  }
}
