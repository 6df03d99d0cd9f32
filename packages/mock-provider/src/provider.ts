import type { AddressInfo, Socket } from 'node:net'
import { buildMockApp } from './app/build-app.js'
import type { Fault } from './faults/fault.js'
import { MockState } from './state.js'
import type { MockProvider, MockProviderOptions, StartMockProviderOptions, StartedMockProvider } from './types.js'

const DEFAULT_MAX_RECORDED = 1000

/**
 * A mock provider that is not listening yet: use `app.inject()`, or `app.listen()` yourself.
 * Most tests want startMockProvider.
 */
export async function createMockProvider (options: MockProviderOptions = {}): Promise<MockProvider> {
  const state = new MockState(options.maxRecordedRequests ?? DEFAULT_MAX_RECORDED)
  const app = buildMockApp(options, state)
  // Counted at the server, so keep-alive reuse by the client under test is visible.
  app.server.on('connection', (socket: Socket) => {
    state.countConnection()
    socket.once('close', () => state.connectionClosed())
  })
  await app.ready()
  return {
    app,
    server: app.server,
    get requests () { return state.requests },
    get stats () { return state.stats },
    get pendingFaults () { return state.faults.pending },
    enqueue: (...faults: Fault[]) => state.faults.enqueue(faults),
    setDefaultFault: (fault: Fault | undefined) => state.faults.setDefault(fault),
    reset: () => state.reset(),
    close: async () => { await app.close() }
  }
}

/** A mock provider listening on `host:port` (default 127.0.0.1, a free port). */
export async function startMockProvider (options: StartMockProviderOptions = {}): Promise<StartedMockProvider> {
  const { host = '127.0.0.1', port = 0, ...rest } = options
  const provider = await createMockProvider(rest)
  await provider.app.listen({ host, port })
  const { port: boundPort } = provider.server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`
  // Object.defineProperties keeps the live getters of `provider` (a spread would freeze them).
  return Object.defineProperties(provider, {
    url: { value: url, enumerable: true },
    baseUrl: { value: `${url}/v1`, enumerable: true },
    port: { value: boundPort, enumerable: true }
  }) as StartedMockProvider
}
