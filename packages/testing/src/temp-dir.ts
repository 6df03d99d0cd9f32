import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const created: string[] = []
let hooked = false

/**
 * A fresh directory under the OS temp dir, removed when the test process exits (each Vitest
 * file runs in its own process), so suites leave nothing behind on a reused CI machine.
 */
export function makeTempDir (prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sy-${prefix}-`))
  created.push(dir)
  if (!hooked) {
    hooked = true
    process.once('exit', () => {
      for (const d of created) rmSync(d, { recursive: true, force: true })
    })
  }
  return dir
}
