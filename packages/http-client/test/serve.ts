import { getEventListeners, once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Pool, type Dispatcher } from 'undici'
import { afterEach, expect } from 'vitest'

// A throwaway HTTP server on port 0 and a pool to it, both torn down after each test.

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

const open: Array<{ server: Server, pool: Pool }> = []

export async function serve (handler: Handler, poolOptions: Pool.Options = {}): Promise<{ pool: Pool, server: Server }> {
  const server = createServer(handler)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 4, ...poolOptions })
  open.push({ server, pool })
  return { pool, server }
}

afterEach(async () => {
  for (const { server, pool } of open.splice(0)) {
    await pool.destroy()
    server.closeAllConnections()
    server.close()
  }
})

export const readBody = async (req: IncomingMessage): Promise<string> => {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  return text
}

/**
 * The contract both calls keep for an abort while the answer is awaited: the call rejects with
 * the signal's reason, its connection is closed (the server sees it), and no listener is left on
 * the signal.
 */
export async function expectAbortWhileWaiting (send: (pool: Pool, signal: AbortSignal) => Promise<unknown>): Promise<void> {
  let closed = false
  const { pool } = await serve((req) => { req.socket.once('close', () => { closed = true }) })
  const controller = new AbortController()
  const call = send(pool, controller.signal)
  setTimeout(() => { controller.abort(new Error('client disconnected')) }, 50)
  await expect(call).rejects.toThrow('client disconnected')
  await expect.poll(() => closed).toBe(true)
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
}

/**
 * `pool` composed with an interceptor that records the answer's start and end, as the router's
 * upstream-timing interceptor sees them; the events land in `events`.
 */
export function recordingPool (pool: Pool, events: string[]): Dispatcher {
  return pool.compose((dispatch: Dispatcher['dispatch']) => (opts, handler) => dispatch(opts, {
    onRequestStart: handler.onRequestStart?.bind(handler),
    onResponseStart (controller, status, headers, message) { events.push(`start ${status}`); handler.onResponseStart?.(controller, status, headers, message) },
    onResponseData: handler.onResponseData?.bind(handler),
    onResponseEnd (controller, trailers) { events.push('end'); handler.onResponseEnd?.(controller, trailers) },
    onResponseError: handler.onResponseError?.bind(handler)
  }))
}
