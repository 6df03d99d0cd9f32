import { mkdirSync } from 'node:fs'
import { infraFor, testDatabaseAdminUrl } from '@switchyard/testing'
import { describe, expect, it } from 'vitest'
import { buildTestApp, listen } from '../helpers/build-test-app.js'
import { chromiumAvailability, launchBrowser } from '../helpers/browser.js'
import { routerOk, standInProvider, startStandIn } from '../helpers/stand-ins.js'

const infra = await infraFor('health: status page', ['postgres'])
const browserOk = chromiumAvailability().ok
const ARTIFACTS = new URL('../../.artifacts/', import.meta.url).pathname
const HOSTILE = '<img src=x onerror="window.__xss=1">'

const red = 'rgb(207, 34, 46)'
const backgroundOf = (el: unknown): string => (globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }).getComputedStyle(el).backgroundColor

describe.skipIf(!infra.ok || !browserOk)('GET /status in a real browser', () => {
  it('shows dependencies and providers up, turns a provider and then the router red within one refresh, and shows hostile error text escaped', async () => {
    const gateway = await startStandIn()
    const providers = { primary: standInProvider('primary'), backup: standInProvider('backup') }
    const errorGroups = [{ code: 'PROVIDER_UNAVAILABLE', provider: 'backup', count: 3, firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:01:00.000Z', message: HOSTILE }]
    const router = await startStandIn(routerOk(() => ({ providers: [providers.primary, providers.backup], errorGroups })))
    const app = await buildTestApp({
      DATABASE_URL: testDatabaseAdminUrl,
      GATEWAY_URL: gateway.url,
      ROUTER_URL: router.url,
      // Generous: a busy machine must not time out the first round; a dead router is refused at once anyway.
      HEALTH_PROBE_TIMEOUT_MS: 2000,
      STATUS_REFRESH_MS: 1000
    })
    const url = await listen(app)
    const browser = await launchBrowser()
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 } })
    const pageErrors: string[] = []
    page.on('pageerror', (err) => { pageErrors.push(err.message) })
    const expectInert = async (): Promise<void> => {
      expect(await page.locator('img').count()).toBe(0)
      expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined()
    }

    const res = await page.goto(`${url}/status`)
    expect(res?.status()).toBe(200)
    await page.locator('#overall').filter({ hasText: /^healthy$/ }).waitFor({ timeout: 10_000 })
    for (const name of ['database', 'gateway', 'proxy-router']) {
      expect(await page.locator(`tr[data-name="${name}"] td.state span`).textContent()).toBe('up')
    }
    for (const id of ['primary', 'backup']) {
      expect(await page.locator(`tr[data-provider="${id}"] td.state span`).textContent()).toBe('up')
    }
    expect(await page.locator('#errors tr td.err').textContent()).toBe(HOSTILE)

    // The router's probe finds the backup provider refusing its key; its message is hostile too.
    providers.backup = standInProvider('backup', 'down', HOSTILE)
    const backupState = page.locator('tr[data-provider="backup"] td.state span')
    // One refresh (1 s) plus one probe round, with room for a loaded machine.
    await backupState.filter({ hasText: 'down' }).waitFor({ timeout: 10_000 })
    expect(await backupState.evaluate(backgroundOf)).toBe(red)
    expect(await page.locator('tr[data-provider="backup"] td.probe-error').textContent()).toBe(`PROVIDER_AUTH_FAILED: ${HOSTILE}`)
    expect(await page.locator('#overall').textContent()).toBe('degraded')
    expect(await page.locator('tr[data-provider="primary"] td.state span').textContent()).toBe('up')
    // Escaped as rendered by the page script and by the server: no element made from the text, nothing ran.
    await expectInert()
    await page.reload()
    expect(await page.locator('tr[data-provider="backup"] td.probe-error').textContent()).toBe(`PROVIDER_AUTH_FAILED: ${HOSTILE}`)
    await expectInert()
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}status-page-degraded.png`, fullPage: true })

    await router.app.close()
    const routerState = page.locator('tr[data-name="proxy-router"] td.state span')
    await routerState.filter({ hasText: 'down' }).waitFor({ timeout: 10_000 })
    expect(await page.locator('#overall').textContent()).toBe('unhealthy')
    expect(await routerState.evaluate(backgroundOf)).toBe(red)
    expect(await page.locator('tr[data-name="proxy-router"] td.err').textContent()).toMatch(/ECONNREFUSED|refused/i)
    expect(await page.locator('tr[data-name="gateway"] td.state span').textContent()).toBe('up')
    expect(await page.locator('tr[data-name="proxy-router"] .timeline i.down').count()).toBeGreaterThan(0)
    expect(await page.locator('tr[data-provider="primary"] td.state span').textContent()).toBe('unknown')

    await page.screenshot({ path: `${ARTIFACTS}status-page.png`, fullPage: true })
    expect(pageErrors).toEqual([])
  })
})
