import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { apiKeys, createDb } from '../src/index.js'
import { findKeyByPlaintext, seedAccount } from './helpers/seed.js'

describe('embedded PGlite on disk', () => {
  const dirs: string[] = []
  afterAll(async () => {
    await Promise.all(dirs.map(async (d) => { await rm(d, { recursive: true, force: true }) }))
  })

  it('keeps data under <dataDir>/pglite across close and reopen, and migrates only once', async () => {
    const base = await mkdtemp(join(tmpdir(), 'sy-db-'))
    dirs.push(base)
    const dataDir = join(base, 'nested', 'data') // does not exist yet: createDb creates it

    const firstLogs: string[] = []
    const first = await createDb({ dataDir, log: (m) => firstLogs.push(m) })
    const seeded = await seedAccount(first.db)
    await first.close()
    expect((await stat(join(dataDir, 'pglite'))).isDirectory()).toBe(true)
    expect(firstLogs.join('\n')).toContain(join(dataDir, 'pglite'))
    expect(firstLogs.join('\n')).toContain('applied migrations 0000_init')

    const secondLogs: string[] = []
    const second = await createDb({ dataDir, log: (m) => secondLogs.push(m) })
    try {
      const found = await findKeyByPlaintext(second.db, seeded.plaintextKey)
      expect(found?.key).toEqual(seeded.key)
      expect(found?.user).toEqual(seeded.user)
      const keys = await second.db.select().from(apiKeys).where(eq(apiKeys.userId, seeded.user.id))
      expect(keys).toHaveLength(1)
      // Reopening an up-to-date database applies nothing.
      expect(secondLogs.join('\n')).not.toContain('applied migrations')
    } finally {
      await second.close()
    }
  })
})
