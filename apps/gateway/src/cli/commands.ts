import type { Database } from '@switchyard/db'
import { getUser } from '../repositories/users.js'
import type { ApiKeyView } from '../schemas/api-key.js'
import type { PlanView } from '../schemas/plan.js'
import type { UserView } from '../schemas/user.js'
import type { AdminClient } from './admin-client.js'
import { keyRow, planRow, table, userRow } from './output.js'

export interface OptionSpec { type: 'string' | 'boolean', description: string }

export interface CommandContext {
  client: AdminClient
  db: Database
  values: Record<string, string | boolean | undefined>
  positionals: string[]
  /** Prints an API answer: as JSON with --json, otherwise as text. */
  print: (body: unknown, text: () => string) => void
}

export interface Command {
  name: string
  /** Positional arguments, for --help (e.g. "<id|email>"). */
  args?: string
  summary: string
  options: Record<string, OptionSpec>
  run: (ctx: CommandContext) => Promise<void>
}

/** Thrown for a bad command line or an API refusal; the CLI prints `message` on one line, exits 1. */
export class CliError extends Error {}

const limitOptions = (inherit: boolean): Record<string, OptionSpec> => {
  const values = inherit ? '<n|unlimited|inherit>' : '<n|unlimited>'
  return {
    'monthly-token-quota': { type: 'string', description: `${values} tokens per calendar month (UTC)` },
    'requests-per-minute': { type: 'string', description: `${values} requests per minute` },
    'tokens-per-minute': { type: 'string', description: `${values} tokens per minute` }
  }
}

/** `--requests-per-minute 60|unlimited|inherit` → the API's limits object (only the flags given). */
function limitsFrom (values: CommandContext['values']): Record<string, number | null | string> | undefined {
  const out: Record<string, number | null | string> = {}
  for (const flag of ['monthly-token-quota', 'requests-per-minute', 'tokens-per-minute']) {
    const raw = values[flag]
    if (typeof raw !== 'string') continue
    // Anything else goes to the API as text, whose validation names the flag's field.
    out[flag.replaceAll('-', '_')] = raw === 'unlimited' ? null : /^\d+$/.test(raw) ? Number(raw) : raw
  }
  return Object.keys(out).length === 0 ? undefined : out
}

/** `--expires 30d` / `12h` / an RFC 3339 date-time or date → the API's `expires_at`. */
export function expiresFrom (raw: string, now = Date.now()): string {
  const relative = /^(\d{1,5})([dh])$/.exec(raw)
  if (relative !== null) return new Date(now + Number(relative[1]) * (relative[2] === 'd' ? 86_400_000 : 3_600_000)).toISOString()
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return `${raw}T00:00:00Z`
  return raw
}

function str (values: CommandContext['values'], name: string): string | undefined {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

function required (values: CommandContext['values'], name: string): string {
  const v = str(values, name)
  if (v === undefined) throw new CliError(`--${name} is required`)
  return v
}

function positional (ctx: CommandContext, what: string): string {
  const [first, ...rest] = ctx.positionals
  if (first === undefined) throw new CliError(`missing ${what}`)
  if (rest.length > 0) throw new CliError(`unexpected argument "${rest[0]!.slice(0, 80)}"`)
  return first
}

/** Drops undefined fields, so "flag not given" stays "absent" in the request. */
function defined (o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}

async function call<T> (ctx: CommandContext, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: Record<string, unknown>): Promise<T> {
  const answer = await ctx.client.call<T>(method, url, body)
  if (answer.status >= 400) throw Object.assign(new CliError('admin API refused the call'), { answer })
  return answer.body
}

const userId = async (ctx: CommandContext, ref: string): Promise<string> => (await getUser(ctx.db, ref)).id

const printPlans = (ctx: CommandContext, body: { data: PlanView[] } | PlanView) =>
  ctx.print(body, () => table('data' in body ? body.data.map(planRow) : [planRow(body)]))
const printUsers = (ctx: CommandContext, body: { data: UserView[] } | UserView) =>
  ctx.print(body, () => table('data' in body ? body.data.map(userRow) : [userRow(body)]))
const printKeys = (ctx: CommandContext, body: { data: ApiKeyView[] } | ApiKeyView) =>
  ctx.print(body, () => table('data' in body ? body.data.map((k) => keyRow(k)) : [keyRow(body)]))

/** users:create and users:update take the same flags; only updates know "inherit". */
const userOptions = (update: boolean): Record<string, OptionSpec> => ({
  name: { type: 'string', description: '<name> display name' },
  email: { type: 'string', description: '<email> unique' },
  plan: { type: 'string', description: update ? '<plan> plan id or name' : '<plan> plan id or name (default: the default plan)' },
  ...limitOptions(update)
})

const userBody = (ctx: CommandContext): Record<string, unknown> =>
  defined({ name: str(ctx.values, 'name'), email: str(ctx.values, 'email'), plan: str(ctx.values, 'plan'), limits: limitsFrom(ctx.values) })

export const commands: Command[] = [
  {
    name: 'plans:list',
    summary: 'List plans and their limits',
    options: {},
    run: async (ctx) => printPlans(ctx, await call(ctx, 'GET', '/v1/admin/plans'))
  },
  {
    name: 'plans:create',
    summary: 'Create a plan (limits not given are unlimited)',
    options: { name: { type: 'string', description: '<name> lower-case letters, digits, ".", "_", "-"' }, ...limitOptions(false) },
    run: async (ctx) => printPlans(ctx, await call(ctx, 'POST', '/v1/admin/plans', defined({ name: required(ctx.values, 'name'), limits: limitsFrom(ctx.values) })))
  },
  {
    name: 'plans:update',
    args: '<plan>',
    summary: 'Rename a plan or change its limits',
    options: { name: { type: 'string', description: '<name> new name' }, ...limitOptions(false) },
    run: async (ctx) => printPlans(ctx, await call(ctx, 'PATCH', `/v1/admin/plans/${encodeURIComponent(positional(ctx, 'plan id or name'))}`,
      defined({ name: str(ctx.values, 'name'), limits: limitsFrom(ctx.values) })))
  },
  {
    name: 'plans:delete',
    args: '<plan>',
    summary: 'Delete a plan no user is on',
    options: {},
    run: async (ctx) => {
      const body = await call<{ id: string }>(ctx, 'DELETE', `/v1/admin/plans/${encodeURIComponent(positional(ctx, 'plan id or name'))}`)
      ctx.print(body, () => `deleted plan ${body.id}`)
    }
  },
  {
    name: 'users:create',
    summary: 'Create a user',
    options: userOptions(false),
    run: async (ctx) => {
      required(ctx.values, 'name')
      printUsers(ctx, await call(ctx, 'POST', '/v1/admin/users', userBody(ctx)))
    }
  },
  {
    name: 'users:list',
    summary: 'List users, oldest first',
    options: { limit: { type: 'string', description: '<n> at most n users (1–1000, default 100)' }, offset: { type: 'string', description: '<n> skip n users' } },
    run: async (ctx) => {
      const query = new URLSearchParams(defined({ limit: str(ctx.values, 'limit'), offset: str(ctx.values, 'offset') }) as Record<string, string>)
      printUsers(ctx, await call(ctx, 'GET', `/v1/admin/users${query.size > 0 ? `?${query.toString()}` : ''}`))
    }
  },
  {
    name: 'users:update',
    args: '<id|email>',
    summary: 'Change a user\'s name, email, plan or limit overrides',
    options: userOptions(true),
    run: async (ctx) => {
      const id = await userId(ctx, positional(ctx, 'user id or email'))
      printUsers(ctx, await call(ctx, 'PATCH', `/v1/admin/users/${id}`, userBody(ctx)))
    }
  },
  {
    name: 'users:delete',
    args: '<id|email>',
    summary: 'Delete a user AND all of its keys (their usage rows go too)',
    options: {},
    run: async (ctx) => {
      const id = await userId(ctx, positional(ctx, 'user id or email'))
      const body = await call<{ deleted_keys: number }>(ctx, 'DELETE', `/v1/admin/users/${id}`)
      ctx.print(body, () => `deleted user ${id} and ${body.deleted_keys} key(s)`)
    }
  },
  {
    name: 'keys:create',
    summary: 'Create an API key for a user; prints the key once',
    options: {
      user: { type: 'string', description: '<id|email> the key\'s owner' },
      name: { type: 'string', description: '<name> what the key is for (default "cli")' },
      expires: { type: 'string', description: '<when> 30d, 12h, 2027-01-31 or an RFC 3339 date-time' },
      models: { type: 'string', description: '<a,b> model aliases the key may call (default: all)' },
      ...limitOptions(false)
    },
    run: async (ctx) => {
      const id = await userId(ctx, required(ctx.values, 'user'))
      const expires = str(ctx.values, 'expires')
      const models = str(ctx.values, 'models')
      const body = await call<ApiKeyView & { key: string }>(ctx, 'POST', `/v1/admin/users/${id}/keys`, defined({
        name: str(ctx.values, 'name') ?? 'cli',
        expires_at: expires === undefined ? undefined : expiresFrom(expires),
        allowed_models: models === undefined ? undefined : models.split(',').map((m) => m.trim()),
        limits: limitsFrom(ctx.values)
      }))
      ctx.print(body, () => `${table([keyRow(body)])}\n\n${body.key}\n\nThis is the only time the key is shown; only its hash is stored.`)
    }
  },
  {
    name: 'keys:list',
    summary: 'List keys (never the keys themselves), of one user or all',
    options: { user: { type: 'string', description: '<id|email> only this user\'s keys' } },
    run: async (ctx) => {
      const user = str(ctx.values, 'user')
      printKeys(ctx, await call(ctx, 'GET', user === undefined ? '/v1/api-keys' : `/v1/admin/users/${await userId(ctx, user)}/keys`))
    }
  },
  {
    name: 'keys:revoke',
    args: '<key id>',
    summary: 'Revoke a key (it stays listed, refused everywhere within seconds)',
    options: {},
    run: async (ctx) => printKeys(ctx, await call(ctx, 'DELETE', `/v1/api-keys/${encodeURIComponent(positional(ctx, 'key id'))}`))
  }
]
