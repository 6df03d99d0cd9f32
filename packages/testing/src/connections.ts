import type { Server } from 'node:net'

export interface ConnectionCounter {
  /** TCP connections accepted since counting started. */
  readonly count: number
  stop: () => void
}

/** Counts TCP connections a server accepts: how tests prove keep-alive reuse at the server side. */
export function countConnections (server: Server): ConnectionCounter {
  let count = 0
  const onConnection = () => { count++ }
  server.on('connection', onConnection)
  return {
    get count () { return count },
    stop: () => { server.off('connection', onConnection) }
  }
}
