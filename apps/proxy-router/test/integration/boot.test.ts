import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeTempDir } from '@switchyard/testing'
import { describe, expect, it } from 'vitest'
import { request } from 'undici'
import { INTERNAL_TOKEN, internalHeaders, writeRoutesFile } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'
import { sseData } from '../helpers/sse.js'

const appDir = fileURLToPath(new URL('../..', import.meta.url))

function routesFile (table: unknown): string {
  const file = join(makeTempDir('router-boot'), 'routes.json')
  writeFileSync(file, JSON.stringify(table))
  return file
}

async function listeningUrl (server: ReturnType<typeof startServer>): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output().stdout)?.[1]
    if (url !== undefined) return url
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`server did not start: ${server.output().stderr}`)
}

/** Runs the real production entry (src/server.ts under tsx) on port 0. */
function startServer (env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: appDir,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  proc.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const exited = once(proc, 'exit').then(([code]) => code as number | null)
  return { proc, exited, output: () => ({ stdout, stderr }) }
}

describe('src/server.ts', () => {
  it('refuses to boot on a routing table naming an unknown provider, and says which', async () => {
    const server = startServer({
      INTERNAL_TOKEN,
      ROUTES_FILE: routesFile({ providers: {}, models: { 'gpt-4o': [{ provider: 'openai', model: 'gpt-4o' }] } })
    })
    expect(await server.exited).toBe(1)
    expect(server.output().stderr).toContain('model "gpt-4o" deployment 0 names unknown provider "openai"')
  })

  it('refuses to boot without ROUTES_FILE', async () => {
    const server = startServer({ INTERNAL_TOKEN })
    expect(await server.exited).toBe(1)
    expect(server.output().stderr).toContain('ROUTES_FILE')
  })

  it('refuses to boot on a broken timeout budget with one stderr line naming the rule', async () => {
    const server = startServer({ INTERNAL_TOKEN, ROUTES_FILE: writeRoutesFile('http://127.0.0.1:9/v1'), MOCK_PROVIDER_API_KEY: 'k', SHUTDOWN_GRACE_MS: '130000' })
    expect(await server.exited).toBe(1)
    const lines = server.output().stderr.split('\n').filter((l) => l !== '')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^proxy-router: Invalid configuration: timeout budget rule "container stop timeout > shutdown grace" is broken: .*SHUTDOWN_GRACE_MS \(130000 ms\)/)
  })

  it('boots from ROUTES_JSON alone, and refuses ROUTES_JSON together with ROUTES_FILE', async () => {
    const table = JSON.stringify({ providers: { local: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } }, models: { m: [{ provider: 'local', model: 'm' }] } })
    const both = startServer({ INTERNAL_TOKEN, ROUTES_JSON: table, ROUTES_FILE: routesFile(JSON.parse(table)) })
    expect(await both.exited).toBe(1)
    expect(both.output().stderr.trim()).toBe('proxy-router: Invalid configuration: set exactly one of ROUTES_FILE and ROUTES_JSON, not both')
    const server = startServer({ INTERNAL_TOKEN, ROUTES_JSON: table })
    const url = await listeningUrl(server)
    const res = await request(`${url}/livez`)
    expect(res.statusCode).toBe(200)
    await res.body.dump()
    server.proc.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  })

  it('boots, serves, and exits 0 on SIGTERM', async () => {
    const server = startServer({
      INTERNAL_TOKEN,
      ROUTES_FILE: routesFile({ providers: { local: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } }, models: { m: [{ provider: 'local', model: 'm' }] } })
    })
    try {
      const url = await listeningUrl(server)
      const res = await fetch(`${url}/v1/models`, { headers: internalHeaders })
      expect(((await res.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id)).toEqual(['m'])
      server.proc.kill('SIGTERM')
      expect(await server.exited).toBe(0)
    } finally {
      server.proc.kill('SIGKILL')
    }
  })

  it('SIGTERM mid-stream lets the stream finish, then exits 0', async () => {
    const mock = await startMock({ chunkDelayMs: 80 })
    // A shutdown that waits for the grace period is force-exited with 1 (close-with-grace).
    const server = startServer({ INTERNAL_TOKEN, ROUTES_FILE: writeRoutesFile(mock.baseUrl), MOCK_PROVIDER_API_KEY: 'sk-any', SHUTDOWN_GRACE_MS: '10000' })
    try {
      const url = await listeningUrl(server)
      const res = await request(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...internalHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'one two three four five six seven eight' }] })
      })
      let received = ''
      let signalled = false
      for await (const chunk of res.body) {
        received += (chunk as Buffer).toString()
        if (!signalled) {
          server.proc.kill('SIGTERM')
          signalled = true
        }
      }
      expect(signalled).toBe(true)
      expect(sseData(received).at(-1)).toBe('[DONE]')
      expect(sseData(received).length).toBeGreaterThan(8)
      // The client keeps its connection alive; the router must still exit 0 without waiting
      // for the grace period (fastify-kit lifecycle-routes.ts).
      expect(await server.exited).toBe(0)
    } finally {
      server.proc.kill('SIGKILL')
    }
  })
})
