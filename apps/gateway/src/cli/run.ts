import { parseArgs } from 'node:util'
import { createDb, describeUrl, pgErrorOf, type DbHandle } from '@switchyard/db'
import { isSwitchyardError } from '@switchyard/errors'
import { mapDependencyErrors } from '../plugins/map-dependency-errors.js'
import { openAdminClient, type AdminAnswer } from './admin-client.js'
import { CliError, commands as adminCommands, type Command } from './commands.js'
import { runDebug } from './debug.js'
import { requestCommand } from './request-command.js'

const commands: Command[] = [...adminCommands, requestCommand]

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
}

const usage = 'pnpm -s switchyard <command> [options] [--json]'

function globalHelp (): string {
  const width = Math.max(...commands.map((c) => `${c.name} ${c.args ?? ''}`.length))
  return [
    `Usage: ${usage}`,
    '',
    'Manages plans, users and API keys directly in the database at DATABASE_URL (no gateway needed).',
    'Running gateways pick changes up within seconds.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${`${c.name} ${c.args ?? ''}`.padEnd(width)}  ${c.summary}`),
    `  ${'debug config|bundle'.padEnd(width)}  A running gateway's masked configuration or support bundle (GATEWAY_URL, ADMIN_TOKEN)`,
    '',
    'Options for every command: --json (print the API\'s JSON), --help.',
    'Run "pnpm -s switchyard <command> --help" for a command\'s options.'
  ].join('\n')
}

function commandHelp (c: Command): string {
  const flags = Object.entries(c.options).map(([name, o]) => [`--${name}${o.type === 'string' ? ` ${o.description.split(' ')[0] ?? ''}` : ''}`, o.description.replace(/^<[^>]*>\s*/, '')])
  const width = Math.max(8, ...flags.map(([f]) => f!.length))
  return [
    `Usage: pnpm -s switchyard ${c.name}${c.args === undefined ? '' : ` ${c.args}`} [options]`,
    '',
    c.summary,
    '',
    'Options:',
    ...flags.map(([f, d]) => `  ${f!.padEnd(width)}  ${d}`),
    `  ${'--json'.padEnd(width)}  print the API's JSON instead of text`,
    `  ${'--help'.padEnd(width)}  this help`
  ].join('\n')
}

/** One line an operator can act on, never a stack trace, never the database password. */
function describeFailure (err: unknown, databaseUrl: string): string {
  if (err instanceof CliError) {
    const answer = (err as CliError & { answer?: AdminAnswer<{ error?: { message?: string, code?: string } }> }).answer
    if (answer === undefined) return err.message
    if (answer.status >= 500 && answer.cause !== undefined) return describeFailure(answer.cause, databaseUrl)
    return `${answer.body.error?.message ?? `HTTP ${answer.status}`} [${answer.body.error?.code ?? 'UNKNOWN'}]`
  }
  if (isSwitchyardError(err) && err.statusCode < 500) return `${err.message} [${err.code}]`
  const where = describeUrl(databaseUrl)
  // 42P01 undefined_table: the database exists but was never migrated.
  if (pgErrorOf(err)?.code === '42P01') return `the database ${where} has no Switchyard tables: run "pnpm db:migrate" first`
  if (mapDependencyErrors(err)?.code === 'DATABASE_UNAVAILABLE') {
    const code = pgErrorOf(err)?.code ?? (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code
    return `cannot reach the database ${where}${code === undefined ? '' : ` (${code})`}`
  }
  // Driver messages may quote query parameters (key hashes): name the error, not its text.
  const code = pgErrorOf(err)?.code
  return `unexpected failure: ${(err as Error).name ?? 'Error'}${code === undefined ? '' : ` (SQLSTATE ${code})`}`
}

/**
 * The operator CLI: `switchyard <command> [options]`. Returns the exit code (0 ok, 1 any
 * failure) instead of exiting, so tests can call it in-process too.
 */
export async function runCli (argv: string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(globalHelp())
    return name === undefined ? 1 : 0
  }
  // Talks to a running gateway, not the database: its own small runner.
  if (name === 'debug') return await runDebug(rest, env, io)
  const command = commands.find((c) => c.name === name)
  if (command === undefined) {
    io.err(`switchyard: unknown command "${name.slice(0, 80)}"; run "pnpm -s switchyard --help" for the list`)
    return 1
  }

  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(Object.entries(command.options).map(([flag, o]) => [flag, { type: o.type }])),
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (err) {
    // node's messages run to several lines and sentences; the first sentence says what is wrong.
    const first = ((err as Error).message.split('\n')[0]?.split('. ')[0] ?? '').replace(/\.$/, '').slice(0, 200)
    io.err(`switchyard ${command.name}: ${first}; see "pnpm -s switchyard ${command.name} --help"`)
    return 1
  }
  if (parsed.values['help'] === true) {
    io.out(commandHelp(command))
    return 0
  }

  const databaseUrl = env['DATABASE_URL']
  if (databaseUrl === undefined || databaseUrl === '') {
    io.err(`switchyard ${command.name}: DATABASE_URL is not set; export the Postgres URL the gateway uses (postgres://user@host:5432/db)`)
    return 1
  }
  const json = parsed.values['json'] === true
  let handle: DbHandle | undefined
  try {
    handle = await createDb({ url: databaseUrl, pool: { max: 1, connectTimeoutS: 5 } })
    const client = await openAdminClient(handle.db)
    try {
      await command.run({
        client,
        db: handle.db,
        values: parsed.values as Record<string, string | boolean | undefined>,
        positionals: parsed.positionals,
        print: (body, text) => io.out(json ? JSON.stringify(body, null, 2) : text())
      })
    } finally {
      await client.close()
    }
    return 0
  } catch (err) {
    io.err(`switchyard ${command.name}: ${describeFailure(err, databaseUrl)}`)
    return 1
  } finally {
    await handle?.close()
  }
}
