import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const gatewayDir = fileURLToPath(new URL('../..', import.meta.url))
const INTERNAL_TOKEN = 'test-internal-token-0123456789'

/** Runs the real production entry (src/server.ts under tsx) and waits for it to exit. */
async function bootUntilExit (env: Record<string, string>): Promise<{ code: number | null, stderrLines: string[] }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: gatewayDir,
    // EMBEDDED_DATABASE so that, if the budget check did not stop it, the gateway would boot and
    // the test would time out instead of passing for another reason.
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', INTERNAL_TOKEN, EMBEDDED_DATABASE: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  proc.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  proc.stdout.resume()
  const [code] = await once(proc, 'exit') as [number | null]
  return { code, stderrLines: stderr.split('\n').filter((l) => l !== '') }
}

// The gateway refuses a timeout budget that cannot work (docs/adr/0008) before it opens anything:
// one stderr line naming the rule and both settings, exit 1.
describe('the gateway refuses to boot on a broken timeout budget', () => {
  it('ROUTER_HEADERS_TIMEOUT_MS not above the router total it is told', async () => {
    const { code, stderrLines } = await bootUntilExit({ ROUTER_HEADERS_TIMEOUT_MS: '200000', ROUTER_TOTAL_TIMEOUT_MS: '230000' })
    expect(code).toBe(1)
    expect(stderrLines).toHaveLength(1)
    expect(stderrLines[0]).toMatch(/^gateway: Invalid configuration: timeout budget rule "gateway router budget > router attempt-phase deadline" is broken: ROUTER_HEADERS_TIMEOUT_MS \(gateway\) \(200000 ms\) must be greater than ROUTER_TOTAL_TIMEOUT_MS \(proxy-router\) \(230000 ms\)/)
  }, 60_000)

  it('a keep-alive the load balancer would outlive', async () => {
    const { code, stderrLines } = await bootUntilExit({ KEEP_ALIVE_TIMEOUT_MS: '60000' })
    expect(code).toBe(1)
    expect(stderrLines).toHaveLength(1)
    expect(stderrLines[0]).toMatch(/^gateway: Invalid configuration: timeout budget rule "service keep-alive timeout > load balancer idle timeout" is broken: KEEP_ALIVE_TIMEOUT_MS \(60000 ms\)/)
  }, 60_000)
})
