import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The committed SQL migrations ship in the package's `drizzle/` folder. This file sits one level
 * below the package root both as src/*.ts (tsx, vitest) and as dist/*.js (node), so the same
 * relative URL works in development, tests and the production image.
 */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle/', import.meta.url))

export interface JournalEntry {
  /** Migration file name without `.sql`, e.g. `0000_init`. */
  tag: string
  /** Creation time in ms; drizzle records it as `created_at` once applied. */
  when: number
}

/** Reads drizzle-kit's journal, which lists every migration in order. */
export function readJournal (folder = MIGRATIONS_FOLDER): JournalEntry[] {
  const path = `${folder}meta/_journal.json`
  let raw: string
  try {
    raw = readFileSync(path, 'utf8')
  } catch (err) {
    throw new Error(`Migrations journal not found at ${path}; the package must ship its drizzle/ folder`, { cause: err })
  }
  const journal = JSON.parse(raw) as { entries: JournalEntry[] }
  return journal.entries.map(({ tag, when }) => ({ tag, when }))
}
