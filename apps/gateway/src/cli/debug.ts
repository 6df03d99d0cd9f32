import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { CliIo } from './run.js'

export const debugUsage = 'pnpm -s switchyard debug config|bundle'

export const debugHelp = [
  `Usage: ${debugUsage}`,
  '',
  'Asks a running gateway (GATEWAY_URL, default http://127.0.0.1:8080) with ADMIN_TOKEN:',
  '  config   prints every service\'s effective configuration, secrets masked (GET /v1/debug/config)',
  '  bundle   writes the support bundle to ./switchyard-bundle-<ts>.json (GET /v1/debug/bundle)',
  'See docs/debugging.md.'
].join('\n')

/** The file name the gateway proposes, reduced to a plain name (never a path). */
function bundleFileName (disposition: string | null): string {
  const proposed = /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? ''
  return /^switchyard-bundle-[0-9TZ]+\.json$/.test(proposed) ? proposed : `switchyard-bundle-${Date.now()}.json`
}

/**
 * `switchyard debug config|bundle`: unlike the other commands it talks to a running gateway over
 * HTTP (the configuration it shows is the running services', not the database's). Returns the exit code.
 */
export async function runDebug (args: string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const [what, ...rest] = args
  if (what === '--help' || what === '-h') {
    io.out(debugHelp)
    return 0
  }
  if ((what !== 'config' && what !== 'bundle') || rest.length > 0) {
    io.err(`switchyard debug: expected "config" or "bundle"; usage: ${debugUsage}`)
    return 1
  }
  const token = env['ADMIN_TOKEN'] ?? ''
  if (token === '') {
    io.err('switchyard debug: ADMIN_TOKEN is not set; export the gateway\'s admin token')
    return 1
  }
  const base = (env['GATEWAY_URL'] ?? '') === '' ? 'http://127.0.0.1:8080' : String(env['GATEWAY_URL']).replace(/\/+$/, '')
  let res: Response
  try {
    res = await fetch(`${base}/v1/debug/${what}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) })
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name
    io.err(`switchyard debug ${what}: cannot reach the gateway at ${base} (${cause})`)
    return 1
  }
  const text = await res.text()
  if (res.status !== 200) {
    let detail = `HTTP ${res.status}`
    try {
      const error = (JSON.parse(text) as { error?: { message?: string, code?: string } }).error
      if (error?.code !== undefined) detail = `${error.message ?? ''} [${error.code}]`
    } catch {}
    io.err(`switchyard debug ${what}: the gateway refused: ${detail}`)
    return 1
  }
  if (what === 'config') {
    io.out(JSON.stringify(JSON.parse(text), null, 2))
    return 0
  }
  const file = resolve(bundleFileName(res.headers.get('content-disposition')))
  writeFileSync(file, text + '\n', { mode: 0o600 })
  io.out(file)
  return 0
}
