import Fastify from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { clientAbortSignal } from '../src/index.js'

describe('clientAbortSignal', () => {
  it('stays quiet while the client waits for a POST answer, fires when it disconnects', async () => {
    const app = Fastify()
    const seen: boolean[] = []
    let disconnected: (() => void) | undefined
    const disconnectSeen = new Promise<void>((resolve) => { disconnected = resolve })
    app.post('/work', async (request, reply) => {
      const signal = clientAbortSignal(reply)
      signal.addEventListener('abort', () => disconnected?.())
      await new Promise((resolve) => setTimeout(resolve, (request.body as { ms: number }).ms))
      seen.push(signal.aborted)
      return { aborted: signal.aborted }
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    onTestFinished(() => app.close())
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/work`

    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms: 100 }) })
    expect(await ok.json()).toEqual({ aborted: false })

    const ac = new AbortController()
    const gone = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms: 400 }), signal: ac.signal }).catch((err: Error) => err.name)
    setTimeout(() => ac.abort(), 100)
    expect(await gone).toBe('AbortError')
    await disconnectSeen
  })
})
