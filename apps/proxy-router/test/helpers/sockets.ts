import type { Server, Socket } from 'node:net'

export interface SocketTracker {
  /** Connections accepted since tracking started. */
  readonly accepted: number
  /** Of those, still open. */
  readonly open: number
  /** Resolves once the `n`-th accepted connection (0-based) has closed; rejects after `ms`. */
  closed: (n: number, ms: number) => Promise<void>
  /** Resolves once every tracked connection has closed; rejects after `ms`. */
  allClosed: (ms: number) => Promise<void>
}

async function until (condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Watches a server's TCP connections from the server side: what the provider "sees". */
export function trackSockets (server: Server): SocketTracker {
  const sockets: Socket[] = []
  server.on('connection', (socket: Socket) => { sockets.push(socket) })
  const openCount = () => sockets.filter((s) => !s.closed).length
  return {
    get accepted () { return sockets.length },
    get open () { return openCount() },
    closed: async (n, ms) => {
      await until(() => sockets[n]?.closed === true, ms, `provider connection #${n} still open`)
    },
    allClosed: async (ms) => {
      await until(() => openCount() === 0, ms, `${openCount()} provider connection(s) still open`)
    }
  }
}
