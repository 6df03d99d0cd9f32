import postgres from 'postgres'

/** Postgres "duplicate_database": another migrate run created it first. */
const DUPLICATE_DATABASE = '42P04'

/**
 * Creates the database named in `url` when the server does not have it yet, so a first
 * `pnpm db:migrate` works on a fresh Postgres. Connects to the `postgres` maintenance database
 * of the same server with the same credentials. Returns the name when it created one.
 */
export async function ensureDatabase (url: string, connectTimeoutS = 5): Promise<string | undefined> {
  const target = new URL(url)
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''))
  if (name === '' || name === 'postgres') return undefined
  const maintenance = new URL(url)
  maintenance.pathname = '/postgres'
  const sql = postgres(maintenance.toString(), { max: 1, connect_timeout: connectTimeoutS, onnotice: () => {} })
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`
    if (rows.length > 0) return undefined
    try {
      // Identifiers cannot be bound parameters; double quotes inside the name are doubled.
      await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`)
      return name
    } catch (err) {
      if ((err as { code?: string }).code === DUPLICATE_DATABASE) return undefined
      throw err
    }
  } finally {
    await sql.end({ timeout: 1 })
  }
}
