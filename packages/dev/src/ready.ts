import type { ServiceProcess } from './process.js'

const POLL_MS = 150
const ATTEMPT_TIMEOUT_MS = 1000

export type Readiness = { ok: true } | { ok: false, reason: string }

/**
 * Polls the service's readiness URL until it answers (200, or any status for the mock), the
 * process exits (it failed to start), or `timeoutMs` passes.
 */
export async function waitUntilReady (service: ServiceProcess, timeoutMs: number): Promise<Readiness> {
  const { port, ready } = service.spec
  const url = `http://127.0.0.1:${port}${ready.path}`
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!service.running) return { ok: false, reason: service.reason() }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) })
      await res.body?.cancel()
      // A port held by some other program can answer too: only a live child of ours counts.
      if ((ready.anyStatus || res.status === 200) && service.running) return { ok: true }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  return { ok: false, reason: `did not answer ${ready.path} on port ${port} within ${Math.round(timeoutMs / 1000)} s` }
}

/** GET a JSON document from a local service, or undefined with the reason. */
export async function getJson (url: string, headers: Record<string, string>): Promise<{ status: number, body: unknown }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) })
  const text = await res.text()
  let body: unknown
  try { body = JSON.parse(text) } catch { body = text }
  return { status: res.status, body }
}
