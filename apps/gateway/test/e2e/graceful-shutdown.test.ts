import { fileURLToPath } from 'node:url'
import { makeTempDir } from '@switchyard/testing'
import { startMockProvider, type StartedMockProvider } from '@switchyard/mock-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, INTERNAL_TOKEN, writeRoutesFile } from '../helpers/stack.js'
import { spawnService, type SpawnedService } from '../helpers/spawn-service.js'

const gatewayDir = fileURLToPath(new URL('../..', import.meta.url))
const routerDir = fileURLToPath(new URL('../../../proxy-router', import.meta.url))

async function startPair (mock: StartedMockProvider): Promise<{ router: SpawnedService, gateway: SpawnedService, key: string }> {
  const router = await spawnService(routerDir, { INTERNAL_TOKEN, ROUTES_FILE: writeRoutesFile(mock.baseUrl) })
  const gateway = await spawnService(gatewayDir, {
    INTERNAL_TOKEN,
    ADMIN_TOKEN,
    ROUTER_URL: router.url,
    DATA_DIR: makeTempDir('gw-data'),
    EMBEDDED_DATABASE: 'true',
    SHUTDOWN_GRACE_MS: '15000'
  })
  const res = await fetch(`${gateway.url}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"name":"shutdown"}' })
  const { key } = await res.json() as { key: string }
  return { router, gateway, key }
}

/** The text a client would show: the concatenated `delta.content` of every chunk. */
function contentOf (sse: string): string {
  return sse.split('\n\n')
    .filter((event) => event.startsWith('data: {'))
    .map((event) => (JSON.parse(event.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? '')
    .join('')
}

/** Starts a slow stream, signals `victim` after the first chunk, and returns everything received. */
async function streamThroughSignal (gatewayUrl: string, key: string, victim: SpawnedService, signals: NodeJS.Signals[] = ['SIGTERM']): Promise<string> {
  const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'one two three four five six seven eight' }] })
  })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let received = ''
  let signalled = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    received += decoder.decode(value, { stream: true })
    if (!signalled && received.includes('data: {')) {
      for (const signal of signals) victim.proc.kill(signal)
      signalled = true
    }
  }
  expect(signalled).toBe(true)
  return received
}

describe('graceful shutdown (real processes, real signals)', () => {
  let mock: StartedMockProvider
  beforeAll(async () => { mock = await startMockProvider({ chunkDelayMs: 80 }) })
  afterAll(async () => { await mock?.close() })

  it.each([
    { victim: 'gateway', signals: ['SIGTERM'] },
    { victim: 'proxy-router', signals: ['SIGTERM'] },
    // Ctrl-C under `pnpm dev` arrives twice at once: from the process group and relayed by tsx watch.
    { victim: 'proxy-router', signals: ['SIGINT', 'SIGINT'] }
  ] as const)('$signals to the $victim mid-stream lets the stream finish, then exits 0', async ({ victim, signals }) => {
    const { router, gateway, key } = await startPair(mock)
    const [target, other] = victim === 'gateway' ? [gateway, router] : [router, gateway]
    try {
      const received = await streamThroughSignal(gateway.url, key, target, [...signals])
      expect(contentOf(received)).toContain('one two three four five')
      expect(received.trimEnd().endsWith('data: [DONE]')).toBe(true)
      expect(await target.exited).toBe(0)
      // Once it is gone, nothing listens there any more.
      await expect(fetch(`${target.url}/livez`)).rejects.toThrow()
    } finally {
      target.proc.kill('SIGKILL')
      other.proc.kill('SIGTERM')
      expect(await other.exited).toBe(0)
    }
  })
})
