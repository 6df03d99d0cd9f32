import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))

describe('src/server.ts (pnpm dev entry)', () => {
  it('listens where the environment says, requires the configured key, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: packageDir,
      env: { ...process.env, MOCK_PROVIDER_PORT: '0', MOCK_PROVIDER_HOST: '127.0.0.1', MOCK_PROVIDER_API_KEY: 'sk-dev-key', MOCK_PROVIDER_MODELS: 'x1, x2', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const exited = once(child, 'exit')
    try {
      let output = ''
      const baseUrl = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (data: Buffer) => {
          output += data.toString()
          const match = /"baseUrl":"([^"]+)"/.exec(output)
          if (match?.[1] !== undefined) resolve(match[1])
        })
        child.once('exit', (code) => reject(new Error(`exited ${String(code)} before listening: ${output}`)))
      })
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)

      const refused = await request(`${baseUrl}/models`)
      expect(refused.statusCode).toBe(401)
      await refused.body.dump()
      const models = await request(`${baseUrl}/models`, { headers: { authorization: 'Bearer sk-dev-key' } })
      expect((await models.body.json() as { data: Array<{ id: string }> }).data.map((m) => m.id)).toEqual(['x1', 'x2'])
    } finally {
      child.kill('SIGTERM')
    }
    const [code] = await exited
    expect(code).toBe(0)
  })
})
