import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/**
 * Renders an SVG to PNG with the machine's headless Chromium (Debian's `chromium` package).
 * Returns false, writing nothing, when no Chromium is installed: the SVG beside it still holds
 * the same chart.
 */
export async function svgToPng (svg: string, file: string): Promise<boolean> {
  if (!existsSync(CHROMIUM)) return false
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  try {
    const page = await browser.newPage()
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`)
    const element = await page.$('svg')
    if (element === null) return false
    await element.screenshot({ path: file })
    return true
  } finally {
    await browser.close()
  }
}
