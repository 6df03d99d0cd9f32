import { mkdirSync } from 'node:fs'
import { infraFor, testDatabaseAdminUrl } from '@switchyard/testing'
import { describe, expect, it } from 'vitest'
import { buildTestApp, listen } from '../helpers/build-test-app.js'
import { chromiumAvailability, launchBrowser } from '../helpers/browser.js'
import { routerOk, startStandIn } from '../helpers/stand-ins.js'

const infra = await infraFor('health: status page', ['postgres'])
const browserOk = chromiumAvailability().ok
const ARTIFACTS = new URL('../../.artifacts/', import.meta.url).pathname

describe.skipIf(!infra.ok || !browserOk)('GET /status in a real browser', () => {
  it('shows every dependency up, then turns a dependency taken down red within one refresh', async () => {
    const gateway = await startStandIn()
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({
      DATABASE_URL: testDatabaseAdminUrl,
      GATEWAY_URL: gateway.url,
      ROUTER_URL: router.url,
      HEALTH_PROBE_TIMEOUT_MS: 500,
      STATUS_REFRESH_MS: 1000
    })
    const url = await listen(app)
    const browser = await launchBrowser()
    const page = await browser.newPage({ viewport: { width: 1200, height: 420 } })
    const pageErrors: string[] = []
    page.on('pageerror', (err) => { pageErrors.push(err.message) })

    const res = await page.goto(`${url}/status`)
    expect(res?.status()).toBe(200)
    expect(await page.locator('#overall').textContent()).toBe('healthy')
    for (const name of ['database', 'gateway', 'proxy-router']) {
      expect(await page.locator(`tr[data-name="${name}"] td.state span`).textContent()).toBe('up')
    }

    await router.app.close()
    const routerState = page.locator('tr[data-name="proxy-router"] td.state span')
    // One refresh (1 s) plus one probe round (≤ 0.5 s), with room for a loaded machine.
    await routerState.filter({ hasText: 'down' }).waitFor({ timeout: 10_000 })
    expect(await page.locator('#overall').textContent()).toBe('unhealthy')
    expect(await routerState.evaluate((el) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }).getComputedStyle(el).backgroundColor)).toBe('rgb(207, 34, 46)')
    expect(await page.locator('tr[data-name="proxy-router"] td.err').textContent()).toMatch(/ECONNREFUSED|refused/i)
    expect(await page.locator('tr[data-name="gateway"] td.state span').textContent()).toBe('up')
    expect(await page.locator('tr[data-name="proxy-router"] .timeline i.down').count()).toBeGreaterThan(0)

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}status-page.png`, fullPage: true })
    expect(pageErrors).toEqual([])
  })
})
