import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { onTestFinished } from 'vitest'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** Whether a browser test can run; under CI=true a missing Chromium fails instead (.ci/run installs it). */
export function chromiumAvailability (): { ok: boolean, reason: string } {
  if (existsSync(CHROMIUM)) return { ok: true, reason: '' }
  const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
  if (process.env['CI'] === 'true') throw new Error(`browser tests need Chromium under CI: ${reason}`)
  console.warn(`skipping browser tests: ${reason}`)
  return { ok: false, reason }
}

/** Headless Debian Chromium driven by playwright-core, closed when the test finishes. */
export async function launchBrowser (): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
  onTestFinished(async () => { await browser.close() })
  return browser
}
