// Runs once per `vitest run` in the main process: gives the run one temp root (inherited by the
// test workers through the environment) and removes it afterwards, so suites leave nothing in
// /tmp on a reused CI machine even when workers are killed rather than exiting.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup (): () => void {
  const root = mkdtempSync(join(tmpdir(), 'sy-test-run-'))
  process.env['SWITCHYARD_TEST_TMP'] = root
  return () => { rmSync(root, { recursive: true, force: true }) }
}
