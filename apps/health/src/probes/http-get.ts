import { request, type Dispatcher } from 'undici'

/** `base` + `path`, keeping any path prefix the base URL has (a trailing slash is tolerated). */
export function joinUrl (base: string, path: string): string {
  return base.replace(/\/+$/, '') + path
}

/**
 * undici's headers/body timers tick on a coarse clock (about 1 s resolution), so they fire
 * between the timeout and the timeout + 1 s. The backstop covers connect + headers + body.
 */
const backstopMs = (timeoutMs: number): number => 3 * timeoutMs + 2000

/**
 * One GET through the probe dispatcher.
 *
 * The probe's deadline signal is deliberately NOT the request's signal: aborting an in-flight
 * undici request puts it back in its Client's queue, and the Client opens a NEW connection for it
 * before dropping it (nodejs/undici#5845; reproduced here with undici 7: two connections to a
 * blackholed gateway per check). Instead the dispatcher's own connect, headers and body timeouts
 * (each = the probe timeout, plugins/probe-dispatcher.ts) fail the request cleanly, without a
 * reconnect, shortly after runOnce has already reported it down at the deadline. The
 * AbortSignal.timeout here is only a backstop for a body that trickles forever (bodyTimeout is
 * per chunk).
 */
export async function getOnce (url: string, dispatcher: Dispatcher, timeoutMs: number, headers: Record<string, string> = {}): Promise<Dispatcher.ResponseData> {
  return await request(url, { method: 'GET', dispatcher, headers, signal: AbortSignal.timeout(backstopMs(timeoutMs)) })
}
