import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Aborts when the response's connection goes away (client disconnect, dropped socket, or the
 * mock closing), so every wait below ends instead of keeping timers alive after the client left.
 */
export function closedSignal (res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  if (res.destroyed || res.socket?.destroyed === true) controller.abort()
  else res.once('close', () => controller.abort())
  return controller.signal
}

/** Waits `ms`; resolves false if `signal` aborted first (the client is gone: stop answering). */
export async function pause (ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal })
    return true
  } catch {
    return false
  }
}

/** Resolves once `signal` aborts: how a stalled response "hangs" without a timer or a leak. */
export async function untilAborted (signal: AbortSignal): Promise<void> {
  if (signal.aborted) return
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
}

/**
 * Writes and waits until Node has handed the bytes to the socket, so each SSE event leaves as
 * soon as it is produced and a following socket.destroy() cannot swallow it. False if the
 * connection went away.
 */
export async function writeFlushed (res: ServerResponse, data: string, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false
  return await new Promise<boolean>((resolve) => {
    const onAbort = (): void => resolve(false)
    signal.addEventListener('abort', onAbort, { once: true })
    res.write(data, (err) => {
      signal.removeEventListener('abort', onAbort)
      resolve(err === null || err === undefined)
    })
  })
}
