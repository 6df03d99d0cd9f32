import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A fresh directory for one test. Under Vitest it lives in the run's temp root
 * (SWITCHYARD_TEST_TMP, made and removed by vitest.global-setup.ts), so nothing is left behind.
 */
export function makeTempDir (prefix: string): string {
  return mkdtempSync(join(process.env['SWITCHYARD_TEST_TMP'] ?? tmpdir(), `sy-${prefix}-`))
}
