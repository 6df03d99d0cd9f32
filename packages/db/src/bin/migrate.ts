#!/usr/bin/env node
// `pnpm db:migrate`: the one-off deploy step that applies pending migrations before services roll.
// Needs DATABASE_URL; the embedded PGlite database migrates itself, so there is nothing to do here.
import { createDb } from '../client.js'
import { runMigrations } from '../migrate.js'
import { describeUrl } from '../postgres-client.js'

async function main (): Promise<number> {
  const url = process.env['DATABASE_URL']
  if (url === undefined || url === '') {
    console.error('db:migrate: DATABASE_URL is not set. Set it to the postgres://… URL of the database to migrate.\n' +
      '(Without DATABASE_URL the services use embedded PGlite, which migrates itself at start.)')
    return 1
  }
  const where = describeUrl(url)
  const handle = await createDb({ url })
  try {
    const { applied, total } = await runMigrations(handle)
    if (applied.length === 0) console.log(`db:migrate: ${where} is up to date (${total} migrations already applied)`)
    else console.log(`db:migrate: applied ${applied.length} of ${total} migrations to ${where}: ${applied.join(', ')}`)
    return 0
  } catch (err) {
    // Nothing was committed: the migrator runs all pending migrations in one transaction.
    console.error(`db:migrate: failed on ${where}: ${(err as Error).message}`)
    console.error(err)
    return 1
  } finally {
    await handle.close()
  }
}

process.exitCode = await main()
