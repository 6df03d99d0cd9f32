// Decorates `probeDispatcher`: the undici Agent every HTTP probe goes through, created once and
// closed in onClose. Deliberately NOT the gateway/router style keep-alive pool: short timeouts,
// no retry interceptor, and no keep-alive (a fresh connection per probe, so a check proves the
// target still accepts connections and no half-dead socket is reused between checks).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Agent, type Dispatcher } from 'undici'

declare module 'fastify' {
  interface FastifyInstance {
    probeDispatcher: Dispatcher
  }
}

export interface ProbeDispatcherOptions {
  /** HEALTH_PROBE_TIMEOUT_MS: connect, headers and body timeouts of one probe. */
  timeoutMs: number
  /** Replaces the Agent (tests: MockAgent); the caller owns and closes it. */
  dispatcher?: Dispatcher
}

/**
 * `pipelining: 0` disables keep-alive in undici (Client docs), so each request opens and closes
 * its own connection. The timeouts are what end a hung HTTP probe (see ../probes/http-get.ts for
 * why the deadline signal is not used for that); undici's defaults are 10 s connect and 300 s
 * headers/body.
 */
export function createProbeAgent (timeoutMs: number): Agent {
  return new Agent({
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    pipelining: 0
  })
}

async function probeDispatcher (app: FastifyInstance, opts: ProbeDispatcherOptions): Promise<void> {
  if (opts.dispatcher !== undefined) {
    app.decorate('probeDispatcher', opts.dispatcher)
    return
  }
  const agent = createProbeAgent(opts.timeoutMs)
  app.decorate('probeDispatcher', agent)
  // In-flight probes end within one probe timeout, so close() waits at most that long.
  app.addHook('onClose', async () => { await agent.close() })
}

export const probeDispatcherPlugin = fp(probeDispatcher, { name: 'probe-dispatcher', fastify: '5.x' })
