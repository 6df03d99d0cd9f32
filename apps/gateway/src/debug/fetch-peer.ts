import type { Dispatcher } from 'undici'

/** A peer's answer, or the one code that says why there is none (shown as `{ "error": code }`). */
export type PeerAnswer = { ok: true, status: number, body: unknown } | { ok: false, error: string }

export interface PeerCall {
  path: string
  headers?: Record<string, string>
  /** One attempt, at most this long (connect included). */
  timeoutMs: number
  /** The client's abort signal: a closed admin client stops the call. */
  signal: AbortSignal
  /** Statuses whose body is the answer (default 200 only; health's report is also 503). */
  accept?: readonly number[]
}

/** The peer's catalogue code from its error envelope, else HTTP_<status>. */
function codeOfRefusal (status: number, raw: string): string {
  try {
    const code = (JSON.parse(raw) as { error?: { code?: unknown } }).error?.code
    if (typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code)) return code
  } catch {}
  return `HTTP_${status}`
}

/**
 * One GET to another Switchyard service for the debug routes: a single attempt, no retry, a
 * short deadline. Never throws: a dead, slow or refusing peer becomes an error code
 * (ECONNREFUSED, TIMEOUT, INVALID_INTERNAL_TOKEN, NOT_FOUND, HTTP_502…), so one missing section
 * never hides the others.
 */
export async function fetchPeer (dispatcher: Dispatcher, call: PeerCall): Promise<PeerAnswer> {
  const deadline = AbortSignal.timeout(call.timeoutMs)
  try {
    const res = await dispatcher.request({
      method: 'GET',
      path: call.path,
      headers: { accept: 'application/json', ...call.headers },
      signal: AbortSignal.any([deadline, call.signal])
    })
    const raw = await res.body.text()
    if (!(call.accept ?? [200]).includes(res.statusCode)) return { ok: false, error: codeOfRefusal(res.statusCode, raw) }
    try {
      return { ok: true, status: res.statusCode, body: JSON.parse(raw) as unknown }
    } catch {
      return { ok: false, error: 'INVALID_JSON' }
    }
  } catch (err) {
    if (deadline.aborted) return { ok: false, error: 'TIMEOUT' }
    if (call.signal.aborted) return { ok: false, error: 'CLIENT_CLOSED' }
    const code = (err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code
    return { ok: false, error: typeof code === 'string' ? code : 'UNREACHABLE' }
  }
}
