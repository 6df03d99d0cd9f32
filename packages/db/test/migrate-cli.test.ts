import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { closedPort, createTestDatabase, infraFor, testDatabaseAdminUrl, type TestDatabase } from '@switchyard/testing'

const run = promisify(execFile)
const packageRoot = fileURLToPath(new URL('..', import.meta.url))

interface CliResult { code: number, stdout: string, stderr: string }

/** Runs src/bin/migrate.ts (what `pnpm db:migrate` runs from dist/) with the given DATABASE_URL. */
async function migrateCli (databaseUrl: string | undefined): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env['DATABASE_URL']
  if (databaseUrl !== undefined) env['DATABASE_URL'] = databaseUrl
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/bin/migrate.ts'], { cwd: packageRoot, env })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number, stdout?: string, stderr?: string }
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

describe('db:migrate CLI', () => {
  it('exits 1 with a clear message when DATABASE_URL is missing', async () => {
    const result = await migrateCli(undefined)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('DATABASE_URL is not set')
  })
})

const infra = await infraFor('db on postgres', ['postgres'])

describe.skipIf(!infra.ok)('db:migrate CLI on postgres', () => {
  let testDb: TestDatabase
  beforeAll(async () => { testDb = await createTestDatabase('db_cli') })
  afterAll(async () => { await testDb.drop() })

  it('applies pending migrations, says which, and reports up to date on the next run', async () => {
    const first = await migrateCli(testDb.url)
    expect(first).toMatchObject({ code: 0 })
    expect(first.stdout).toContain('applied 3 of 3 migrations')
    expect(first.stdout).toContain('0000_init')
    expect(first.stdout).not.toContain('postgres@') // credentials never printed

    const second = await migrateCli(testDb.url)
    expect(second).toMatchObject({ code: 0 })
    expect(second.stdout).toContain('is up to date')
  })

  it('creates the database first when the server does not have it', async () => {
    const url = new URL(testDb.url)
    const name = `${testDb.name}_new`
    url.pathname = `/${name}`
    try {
      const result = await migrateCli(url.toString())
      expect(result).toMatchObject({ code: 0 })
      expect(result.stdout).toContain(`created database "${name}"`)
      expect(result.stdout).toMatch(/applied (\d+) of \1 migrations/)
      const again = await migrateCli(url.toString())
      expect(again.stdout).not.toContain('created database')
      expect(again.stdout).toContain('is up to date')
    } finally {
      const admin = postgres(testDatabaseAdminUrl, { max: 1, onnotice: () => {} })
      await admin.unsafe(`drop database if exists "${name}" with (force)`)
      await admin.end({ timeout: 1 })
    }
  })

  it('exits 1 when the server cannot be reached', async () => {
    const url = new URL(testDb.url)
    url.port = String(await closedPort())
    const result = await migrateCli(url.toString())
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('db:migrate: failed')
  })
})
