import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { makeTempDir } from '@switchyard/testing'
import { describe, expect, it } from 'vitest'
import { cleanEnv, repoRoot } from './helpers/run.js'

const execFileAsync = promisify(execFile)
const TOKEN = 'boot-error-test-token-0123456789'

/** Runs a built service entry (`node dist/server.js`, as production does) and returns its exit code and stderr lines. */
async function boot (entry: string, env: Record<string, string>, cwd = makeTempDir('boot')): Promise<{ code: number, stderr: string[] }> {
  try {
    await execFileAsync(process.execPath, [join(repoRoot, entry)], { cwd, env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', ...env }), timeout: 60_000 })
    return { code: 0, stderr: [] }
  } catch (err) {
    const e = err as { code?: number, stderr?: string }
    return { code: e.code ?? -1, stderr: (e.stderr ?? '').split('\n').filter((l) => l !== '') }
  }
}

const routesNeedingAKey = () => {
  const file = join(makeTempDir('boot-routes'), 'routes.json')
  writeFileSync(file, JSON.stringify({ providers: { openai: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKeyEnv: 'OPENAI_API_KEY' } }, models: { m: [{ provider: 'openai', model: 'm' }] } }))
  return file
}

// Every configuration mistake, in every service, ends the boot with exit 1 and ONE line on stderr
// that names the setting: no stack trace, no value echoed (it may be a secret).
describe('a bad setting stops a service with one line naming it', () => {
  const cases: Array<[string, string, () => Record<string, string>, RegExp]> = [
    ['gateway', 'apps/gateway/dist/server.js', () => ({ INTERNAL_TOKEN: TOKEN, PORT: '99999' }), /^gateway: Invalid configuration: PORT must be <= 65535$/],
    ['gateway (refused by a plugin while booting)', 'apps/gateway/dist/server.js', () => ({ INTERNAL_TOKEN: TOKEN }), /^gateway: DATABASE_URL is not set\. .*EMBEDDED_DATABASE=true/],
    ['gateway (secret too short, not echoed)', 'apps/gateway/dist/server.js', () => ({ INTERNAL_TOKEN: 'tiny-secret', EMBEDDED_DATABASE: 'true' }), /^gateway: Invalid configuration: INTERNAL_TOKEN must NOT have fewer than 16 characters$/],
    ['proxy-router', 'apps/proxy-router/dist/server.js', () => ({ INTERNAL_TOKEN: TOKEN }), /^proxy-router: Invalid configuration: ROUTES_FILE is required but not set \(or set ROUTES_JSON to the table itself\)$/],
    ['proxy-router (routing table)', 'apps/proxy-router/dist/server.js', () => ({ INTERNAL_TOKEN: TOKEN, ROUTES_FILE: routesNeedingAKey() }), /^proxy-router: Invalid routing table: provider "openai" reads its API key from OPENAI_API_KEY, which is not set/],
    ['health', 'apps/health/dist/server.js', () => ({ HEALTH_PROBE_TIMEOUT_MS: '10' }), /^health: Invalid configuration: HEALTH_PROBE_TIMEOUT_MS must be >= 50$/],
    ['mock-provider', 'packages/mock-provider/dist/server.js', () => ({ MOCK_PROVIDER_PORT: 'abc' }), /^mock-provider: Invalid configuration: MOCK_PROVIDER_PORT must be integer$/]
  ]

  it.each(cases)('%s', async (_name, entry, env, line) => {
    const { code, stderr } = await boot(entry, env())
    expect(code).toBe(1)
    expect(stderr).toHaveLength(1)
    expect(stderr[0]).toMatch(line)
    expect(stderr[0]).not.toContain('tiny-secret')
  })

  it('reads .env from the working directory, and the real environment wins over it', async () => {
    const cwd = makeTempDir('boot-dotenv')
    writeFileSync(join(cwd, '.env'), `INTERNAL_TOKEN=${TOKEN}\nHEALTH_PROBE_TIMEOUT_MS=20\nLOG_LEVEL=loud\n`)
    // LOG_LEVEL from the file is overridden by the real environment; the file's timeout is used.
    const { code, stderr } = await boot('apps/health/dist/server.js', { LOG_LEVEL: 'info' }, cwd)
    expect(code).toBe(1)
    expect(stderr).toEqual(['health: Invalid configuration: HEALTH_PROBE_TIMEOUT_MS must be >= 50'])
  })

  it('a port already in use is one line too', async () => {
    const { createServer } = await import('node:net')
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const port = (holder.address() as { port: number }).port
    try {
      const { code, stderr } = await boot('apps/health/dist/server.js', { PORT: String(port) })
      expect(code).toBe(1)
      expect(stderr).toEqual([`health: cannot listen on 127.0.0.1:${port}: the port is already in use (EADDRINUSE); stop whatever holds it or set PORT to a free port`])
    } finally {
      holder.close()
    }
  })
})
