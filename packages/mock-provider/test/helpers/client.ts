import { Agent, request, type Dispatcher } from 'undici'
import { onTestFinished } from 'vitest'

/** A keep-alive client for one test, closed when the test ends (short keepAliveTimeout, as in undici's tests). */
export function testAgent (opts: Agent.Options = {}): Agent {
  const agent = new Agent({ keepAliveTimeout: 10, ...opts })
  onTestFinished(async () => { await agent.destroy() })
  return agent
}

export interface PostOptions {
  dispatcher?: Dispatcher
  headers?: Record<string, string>
  headersTimeout?: number
  bodyTimeout?: number
}

/** POSTs JSON (a string body is sent as is) and returns undici's response. */
export async function postJson (url: string, body: unknown, opts: PostOptions = {}): Promise<Dispatcher.ResponseData> {
  return await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    dispatcher: opts.dispatcher,
    headersTimeout: opts.headersTimeout,
    bodyTimeout: opts.bodyTimeout
  })
}

export const chatBody = (content: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ model: 'mock-gpt', messages: [{ role: 'user', content }], ...extra })
