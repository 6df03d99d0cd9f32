import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { imageCommand } from '@switchyard/dev/production-node-flags'
import { makeTempDir } from '@switchyard/testing'
import { request } from 'undici'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildDeployOutputs } from './image-steps.js'

const APPS = ['gateway', 'proxy-router', 'health'] as const
const INTERNAL_TOKEN = 'image-test-internal-token-0123'
const ADMIN_TOKEN = 'image-test-admin-token-0123456'

async function freePort (): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** Only the settings each service needs to boot on its own; nothing from the workspace. */
function envFor (app: typeof APPS[number], work: string, port: number): Record<string, string> {
  const common = { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', INTERNAL_TOKEN }
  if (app === 'gateway') return { ...common, ADMIN_TOKEN, EMBEDDED_DATABASE: 'true', DATA_DIR: join(work, 'gateway-data'), ROUTER_URL: 'http://127.0.0.1:9' }
  if (app === 'proxy-router') {
    const routes = join(work, 'routes.json')
    writeFileSync(routes, JSON.stringify({ providers: { p: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } }, models: { m: [{ provider: 'p', model: 'm' }] } }))
    return { ...common, ROUTES_FILE: routes }
  }
  return { ...common, GATEWAY_URL: 'http://127.0.0.1:9', ROUTER_URL: 'http://127.0.0.1:9' }
}

describe('image contents: the pruned, deployed output of each service', () => {
  let work: string
  let outputs: Record<string, string>
  beforeAll(async () => {
    work = makeTempDir('image')
    outputs = await buildDeployOutputs(work, [...APPS])
  })

  it.each(APPS)('%s ships production dependencies only', (app) => {
    const dir = outputs[app] ?? ''
    const modules = readdirSync(join(dir, 'node_modules'))
    for (const devOnly of ['vitest', 'typescript', 'tsx', 'eslint', 'turbo', 'openai']) {
      expect(modules, `${app} must not ship ${devOnly}`).not.toContain(devOnly)
    }
    expect(existsSync(join(dir, 'node_modules', '@switchyard', 'errors', 'dist', 'index.js'))).toBe(true)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
    expect(Object.keys(pkg.dependencies ?? {})).toContain('fastify')
  })

  it.each(APPS)('%s boots from that folder alone with the image\'s command, answers /livez and exits 0 on SIGTERM', async (app) => {
    const dir = outputs[app] ?? ''
    const port = await freePort()
    // The Dockerfile's CMD as the container runs it (its Node flags included), on this Node.
    const [command, ...args] = imageCommand(fileURLToPath(new URL('../../..', import.meta.url))) ?? []
    expect(command).toBe('node')
    const child = spawn(process.execPath, args, { cwd: dir, env: envFor(app, work, port), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => { output += c.toString() })
    child.stderr.on('data', (c: Buffer) => { output += c.toString() })
    try {
      let status = 0
      for (let i = 0; i < 300 && status !== 200; i++) {
        if (child.exitCode !== null) throw new Error(`${app} exited ${child.exitCode}: ${output}`)
        try {
          const res = await request(`http://127.0.0.1:${port}/livez`)
          status = res.statusCode
          await res.body.dump()
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
      expect(status, output).toBe(200)
    } finally {
      child.kill('SIGTERM')
      const [code] = await once(child, 'exit') as [number | null]
      expect(code, output).toBe(0)
    }
  })
})
