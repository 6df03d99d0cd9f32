import { join } from 'node:path'
import { makeTempDir } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { cleanEnv, freePorts, holdPort, packageRoot, portIsFree, run } from './helpers/run.js'

const cli = join(packageRoot, 'src/cli.ts')

describe('pnpm dev supervisor', () => {
  it('stops everything and exits non-zero, naming the service, when one cannot take its port', async () => {
    const ports = await freePorts()
    const holder = await holdPort(Number(ports.ROUTER_PORT))
    onTestFinished(async () => { await new Promise((resolve) => holder.close(resolve)) })

    const dev = run(cli, ['dev'], { cwd: makeTempDir('dev-port-taken'), env: cleanEnv({ ...ports, DATA_DIR: makeTempDir('dev-data') }) })
    onTestFinished(() => { dev.proc.kill('SIGKILL') })

    expect(await dev.exited).toBe(1)
    const last = dev.stderr.at(-1) ?? ''
    expect(last).toMatch(/^switchyard: proxy-router failed to start: cannot listen on 127\.0\.0\.1:\d+: the port is already in use \(EADDRINUSE\)/)
    expect(last).toContain('set ROUTER_PORT to a free port')
    expect(dev.stdout.join('\n')).not.toContain('Switchyard is running')
    // Nothing was left running: the other services' ports are free again.
    for (const port of [ports.GATEWAY_PORT, ports.HEALTH_PORT, ports.MOCK_PROVIDER_PORT]) {
      expect(await portIsFree(Number(port))).toBe(true)
    }
  })

  it('refuses a bad port setting of its own in one line', async () => {
    const dev = run(cli, ['dev'], { cwd: makeTempDir('dev-bad-port'), env: cleanEnv({ ROUTER_PORT: 'eighty', DATA_DIR: makeTempDir('dev-data') }) })
    expect(await dev.exited).toBe(1)
    expect(dev.stderr).toEqual(['switchyard: ROUTER_PORT must be a port number from 1 to 65535'])
  })
})
