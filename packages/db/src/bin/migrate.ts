#!/usr/bin/env node
// `pnpm db:migrate`: the one-off deploy step that applies pending migrations before services roll.
// Needs DATABASE_URL; creates that database first when the server does not have it. The embedded
// PGlite database migrates itself, so there is nothing to do for it here.
import { findRepoRoot, loadEnvFileIfPresent } from '@switchyard/config'
import { createDb } from '../client.js'
import { ensureDatabase } from '../ensure-database.js'
import { runMigrations } from '../migrate.js'
import { describeUrl } from '../postgres-client.js'

async function main (): Promise<number> {
  // turbo runs this in packages/db; the .env users write sits at the repository root.
  // Variables already in the environment win over the file.
  try {
    loadEnvFileIfPresent(findRepoRoot())
  } catch (err) {
    console.error(`db:migrate: ${(err as Error).message}`)
    return 1
  }
  const url = process.env['DATABASE_URL']
  if (url === undefined || url === '') {
    console.error('db:migrate: DATABASE_URL is not set. Set it to the postgres://… URL of the database to migrate.\n' +
      '(Without DATABASE_URL the services use embedded PGlite, which migrates itself at start.)')
    return 1
  }
  const where = describeUrl(url)
  try {
    const created = await ensureDatabase(url)
    if (created !== undefined) console.log(`db:migrate: created database "${created}" on ${where}`)
  } catch (err) {
    // Not fatal: the role may lack CREATEDB or the maintenance database; migrating says the rest.
    console.error(`db:migrate: could not check whether the database exists (${(err as Error).message}); migrating anyway`)
  }
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
