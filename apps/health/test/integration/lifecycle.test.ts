import { Agent, request } from 'undici'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.js'
import { buildTestApp, listen, testConfig } from '../helpers/build-test-app.js'

describe('/livez and /readyz', () => {
  it('answer 200 while the service runs, whatever the dependencies do', async () => {
    // Every dependency URL points at a closed port: liveness and readiness must not care.
    const app = await buildTestApp()

    const livez = await app.inject({ method: 'GET', url: '/livez' })
    const readyz = await app.inject({ method: 'GET', url: '/readyz' })

    expect(livez.statusCode).toBe(200)
    expect(readyz.statusCode).toBe(200)
    expect(livez.headers['x-request-id']).toEqual(expect.any(String))
  })

  it('/readyz answers 503 once shutdown has started', async () => {
    const app = await buildApp(testConfig())
    // Hold shutdown in its preClose phase (after the lifecycle plugin's own preClose hook ran,
    // before the server stops accepting) until the test has asked /readyz.
    let closing!: () => void
    const closingStarted = new Promise<void>((resolve) => { closing = resolve })
    let release!: () => void
    const released = new Promise<void>((resolve) => { release = resolve })
    app.addHook('preClose', async () => {
      closing()
      await released
    })
    const base = await listen(app)
    const client = new Agent({ keepAliveTimeout: 10 })
    onTestFinished(async () => { await client.close() })

    const before = await request(`${base}/readyz`, { dispatcher: client })
    await before.body.dump()
    expect(before.statusCode).toBe(200)

    const closed = app.close()
    await closingStarted
    const during = await request(`${base}/readyz`, { dispatcher: client })
    const body = await during.body.json()
    release()
    await closed

    expect(during.statusCode).toBe(503)
    expect(body).toEqual({ status: 'shutting_down' })
  })
})
