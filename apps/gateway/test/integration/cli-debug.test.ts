import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { closedPort, listenOnLoopback, makeTempDir } from '@switchyard/testing'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { ADMIN_TOKEN } from '../helpers/tokens.js'

async function cli (args: string[], env: Record<string, string>): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, env, { out: (t) => out.push(t), err: (t) => err.push(t) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

// Two gateways on PGlite per test: generous timeouts for a loaded 2-core machine.
describe('pnpm switchyard debug config|bundle', { timeout: 120_000 }, () => {
  it('prints the masked configuration and writes the bundle file of a running gateway', async () => {
    const { app } = await buildTestApp({ ROUTER_URL: `http://127.0.0.1:${await closedPort()}`, HEALTH_URL: `http://127.0.0.1:${await closedPort()}` })
    const env = { GATEWAY_URL: await listenOnLoopback(app), ADMIN_TOKEN }

    const config = await cli(['debug', 'config'], env)
    expect(config.code).toBe(0)
    expect(JSON.parse(config.out).services.gateway.config.ADMIN_TOKEN).toMatchObject({ set: true })
    expect(config.out).not.toContain(ADMIN_TOKEN)

    const dir = makeTempDir('cli-bundle')
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const bundle = await cli(['debug', 'bundle'], env)
      expect(bundle.code).toBe(0)
      expect(basename(bundle.out)).toMatch(/^switchyard-bundle-\d{8}T\d{6}Z\.json$/)
      expect(JSON.parse(readFileSync(bundle.out, 'utf8'))).toHaveProperty('failedRequests')
    } finally {
      process.chdir(cwd)
    }
  })

  it('says in one line what is wrong: no token, a refused token, no gateway', async () => {
    expect(await cli(['debug', 'config'], {})).toMatchObject({ code: 1, err: expect.stringContaining('ADMIN_TOKEN is not set') })
    const { app } = await buildTestApp()
    const refused = await cli(['debug', 'config'], { GATEWAY_URL: await listenOnLoopback(app), ADMIN_TOKEN: 'not-the-admin-token-0123' })
    expect(refused).toMatchObject({ code: 1, err: expect.stringContaining('[INVALID_ADMIN_TOKEN]') })
    expect(refused.err).not.toContain('not-the-admin-token')
    const down = await cli(['debug', 'bundle'], { GATEWAY_URL: `http://127.0.0.1:${await closedPort()}`, ADMIN_TOKEN })
    expect(down).toMatchObject({ code: 1, err: expect.stringContaining('cannot reach the gateway') })
    expect(await cli(['debug', 'nope'], { ADMIN_TOKEN })).toMatchObject({ code: 1, err: expect.stringContaining('expected "config" or "bundle"') })
  })
})
