import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startMockProvider, type StartedMockProvider } from '@switchyard/mock-provider'
import { makeTempDir } from '@switchyard/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, freePorts, packageRoot, repoRoot, run, type Running } from './helpers/run.js'

// The README quick start for a real provider, followed literally with the mock standing in for
// OpenAI: an .env with the key and a relative ROUTES_FILE, `pnpm dev` (the supervisor it runs)
// from that directory, one completion through the gateway with the key the banner printed,
// then Ctrl-C.
const ROUTES = 'apps/proxy-router/config/routes.openai.json'
const OPENAI_KEY = 'sk-test-openai-0123456789abcdef'
const ADMIN_TOKEN = 'quick-start-admin-token-0123456789'

describe('quick start with an OpenAI-compatible provider', () => {
  let openai: StartedMockProvider
  let dev: Running
  let ports: Awaited<ReturnType<typeof freePorts>>
  let banner: string
  const committed = JSON.parse(readFileSync(join(repoRoot, ROUTES), 'utf8')) as { models: Record<string, Array<{ model: string }>> }
  const [alias, deployments] = Object.entries(committed.models)[0]!

  beforeAll(async () => {
    openai = await startMockProvider({ apiKey: OPENAI_KEY })
    // The user's checkout: the committed table, pointed at the stand-in instead of api.openai.com.
    const checkout = makeTempDir('quick-start')
    mkdirSync(join(checkout, 'apps/proxy-router/config'), { recursive: true })
    writeFileSync(join(checkout, ROUTES), readFileSync(join(repoRoot, ROUTES), 'utf8').replace('https://api.openai.com/v1', openai.baseUrl))
    writeFileSync(join(checkout, '.env'), `OPENAI_API_KEY=${OPENAI_KEY}\nROUTES_FILE=${ROUTES}\n`)
    ports = await freePorts()
    // An exported ADMIN_TOKEN must not hide the development API key.
    dev = run(join(packageRoot, 'src/cli.ts'), ['dev'], { cwd: checkout, env: cleanEnv({ ...ports, ADMIN_TOKEN, DATA_DIR: makeTempDir('quick-start-data') }) })
    await dev.waitFor(/^Stop with Ctrl-C/)
    banner = dev.stdout.slice(dev.stdout.findIndex((l) => l.startsWith('Switchyard is running'))).join('\n')
  })

  afterAll(async () => {
    dev.proc.kill('SIGKILL')
    await openai.close()
  })

  it('prints a banner with the models the router serves from ROUTES_FILE, not the mock\'s', () => {
    expect(banner).toContain(`models         ${Object.keys(committed.models).join(', ')}`)
    expect(banner).not.toContain('mock-gpt')
    expect(banner).toMatch(new RegExp(`routing table  /.*/${ROUTES.replaceAll('.', '\\.')}`))
    expect(banner).toContain('admin token    your ADMIN_TOKEN')
    expect(banner).not.toContain(ADMIN_TOKEN)
    expect(banner).toMatch(/API key +sk-sy-\S+/)
  })

  it('answers a completion through the gateway, sending the provider key from .env upstream', async () => {
    const apiKey = /API key +(sk-sy-\S+)/.exec(banner)?.[1]
    expect(apiKey).toBeDefined()
    const res = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey!}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: alias, messages: [{ role: 'user', content: 'Hello' }] })
    })
    expect(res.status).toBe(200)
    const body = await res.json() as { choices: Array<{ message: { content: string } }> }
    expect(body.choices[0]?.message.content).toBe('Mock reply to: Hello')
    const upstream = openai.requests.at(-1)
    expect(upstream?.headers['authorization']).toBe(`Bearer ${OPENAI_KEY}`)
    expect((upstream?.body as { model: string }).model).toBe(deployments[0]?.model)
  })

  it('logs one line per request, without the key', async () => {
    await dev.waitFor(/^gateway +\| .*POST \/v1\/chat\/completions 200 .*keyId=/)
    // Two processes' lines reach the supervisor's stdout in either order: wait for the router's too.
    await dev.waitFor(/^proxy-router +\| .*POST \/v1\/chat\/completions 200/)
    const requestLines = dev.stdout.filter((l) => l.includes('POST /v1/chat/completions'))
    expect(requestLines.filter((l) => l.startsWith('gateway'))).toHaveLength(1)
    expect(requestLines.filter((l) => l.startsWith('proxy-router'))).toHaveLength(1)
    const logs = dev.stdout.filter((l) => / \| /.test(l)).join('\n')
    expect(logs).not.toContain(OPENAI_KEY)
    expect(logs).not.toMatch(/sk-sy-/)
    expect(logs).not.toContain(ADMIN_TOKEN)
  })

  it('stops on Ctrl-C in order, gateway first and mock provider last, and exits 0', async () => {
    dev.proc.kill('SIGINT')
    expect(await dev.exited).toBe(0)
    const order = ['gateway', 'proxy-router', 'health', 'mock-provider'].map((name) => dev.stdout.findIndex((l) => l.startsWith(name) && l.includes('shutting down')))
    expect(order.every((i) => i >= 0)).toBe(true)
    const [gateway, router, health, mock] = order as [number, number, number, number]
    expect(gateway).toBeLessThan(router)
    expect(gateway).toBeLessThan(health)
    expect(Math.max(router, health)).toBeLessThan(mock)
    expect(dev.stdout.at(-1)).toBe('switchyard: every service stopped cleanly')
  })
})
