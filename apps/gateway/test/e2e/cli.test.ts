import { createHash } from 'node:crypto'
import { closedPort, createTestDatabase, infraFor } from '@switchyard/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run.js'
import { runCliProcess, type CliRun } from '../helpers/run-cli.js'
import { startStack, type Stack } from '../helpers/stack.js'

const infra = await infraFor('operator CLI', ['postgres', 'redis'])

/**
 * The CLI in-process (runCli is what the entry point calls), for the many cases that do not need
 * a real process; the tests that do (exit codes, the key a real process prints) spawn it.
 */
async function cli (args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, env, { out: (t) => { stdout += t + '\n' }, err: (t) => { stderr += t + '\n' } })
  return { code, stdout, stderr }
}

// Spawning under tsx takes seconds on a loaded machine: allow for it, it is not what is tested.
const slow = { timeout: 180_000 }

describe('operator CLI without a database', () => {
  it('a real process prints help with every command (exit 0) and refuses to run without DATABASE_URL (exit 1, one line)', slow, async () => {
    const help = await runCliProcess(['--help'])
    expect(help.code).toBe(0)
    for (const c of ['plans:list', 'plans:create', 'users:create', 'users:list', 'users:update', 'keys:create', 'keys:list', 'keys:revoke']) {
      expect(help.stdout).toContain(c)
    }
    const noDb = await runCliProcess(['users:list'])
    expect(noDb.code).toBe(1)
    expect(noDb.stderr.trim().split('\n')).toHaveLength(1)
    expect(noDb.stderr).toContain('DATABASE_URL is not set')
  })

  it('names an unknown command or flag in one line, exit code 1', async () => {
    const unknown = await cli(['users:explode'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr.trim()).toMatch(/^switchyard: unknown command "users:explode"/)
    const flag = await cli(['keys:create', '--usr', 'x'], { DATABASE_URL: 'postgres://127.0.0.1:1/x' })
    expect(flag.code).toBe(1)
    expect(flag.stderr.trim().split('\n')).toHaveLength(1)
    expect(flag.stderr).toContain("Unknown option '--usr'")
    const ambiguous = await cli(['users:create', '--name', 'x', '--requests-per-minute', '-5'], { DATABASE_URL: 'postgres://127.0.0.1:1/x' })
    expect(ambiguous.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('says the database cannot be reached, without printing its password', async () => {
    const port = await closedPort()
    const run = await cli(['plans:list'], { DATABASE_URL: `postgres://admin:hunter2-secret@127.0.0.1:${port}/switchyard` })
    expect(run.code).toBe(1)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain(`cannot reach the database 127.0.0.1:${port}/switchyard`)
    expect(run.stderr + run.stdout).not.toContain('hunter2')
  })
})

describe.skipIf(!infra.ok)('operator CLI against Postgres, with a gateway on the same database', () => {
  let stack: Stack
  let env: Record<string, string>
  // The gateway keeps no key cache here, so what the CLI writes is what it sees; how a cached key
  // is dropped across processes is the auth revision poll's business, tested with it.
  beforeAll(async () => {
    stack = await startStack({ backend: 'postgres', gatewayEnv: { KEY_CACHE_TTL_MS: '0' } })
    env = { DATABASE_URL: stack.databaseUrl! }
  })
  afterAll(async () => { await stack?.close() })

  const models = async (key: string) => await fetch(`${stack.gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } })

  it('a key the CLI process creates authenticates, lists show no secret, and once the CLI revokes it the gateway refuses it', slow, async () => {
    const plan = await cli(['plans:create', '--name', 'cli-team', '--monthly-token-quota', '50000', '--requests-per-minute', 'unlimited'], env)
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stdout).toMatch(/cli-team\s+\S+\s+50000\s+unlimited\s+unlimited/)
    const user = await cli(['users:create', '--name', 'Grace', '--email', 'grace@example.com', '--plan', 'cli-team', '--json'], env)
    expect(user.code, user.stderr).toBe(0)
    expect(JSON.parse(user.stdout)).toMatchObject({ object: 'user', email: 'grace@example.com', plan: { name: 'cli-team' } })

    const created = await runCliProcess(['keys:create', '--user', 'grace@example.com', '--name', 'deploy', '--expires', '30d', '--models', 'mock-gpt,mock-gpt-mini', '--json'], env)
    expect(created.code, created.stderr).toBe(0)
    const key = JSON.parse(created.stdout) as { id: string, key: string, expires_at: string, allowed_models: string[] }
    expect(key.key).toMatch(/^sk-sy-/)
    expect(key.allowed_models).toEqual(['mock-gpt', 'mock-gpt-mini'])
    expect(Date.parse(key.expires_at) - Date.now()).toBeGreaterThan(29 * 86_400_000)
    expect((await models(key.key)).status).toBe(200)

    for (const args of [['keys:list', '--user', 'grace@example.com'], ['keys:list', '--json']]) {
      const list = await cli(args, env)
      expect(list.code, list.stderr).toBe(0)
      expect(list.stdout).toContain(key.id)
      expect(list.stdout).not.toContain(key.key)
      expect(list.stdout).not.toContain(createHash('sha256').update(key.key).digest('hex'))
    }

    const revoked = await runCliProcess(['keys:revoke', key.id], env)
    expect(revoked.code, revoked.stderr).toBe(0)
    expect(revoked.stdout).toContain('revoked')
    const refused = await models(key.key)
    expect(refused.status).toBe(401)
    expect((await refused.json() as { error: { code: string } }).error.code).toBe('API_KEY_REVOKED')
  })

  it('updates a user found by email: "inherit" clears an override, "unlimited" sets null', async () => {
    await cli(['users:create', '--name', 'Lin', '--email', 'lin@example.com', '--tokens-per-minute', '100'], env)
    const run = await cli(['users:update', 'lin@example.com', '--tokens-per-minute', 'inherit', '--requests-per-minute', 'unlimited', '--plan', 'pro', '--json'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ plan: { name: 'pro' }, limits: { requests_per_minute: null } })
    expect(JSON.parse(run.stdout).limits).not.toHaveProperty('tokens_per_minute')
  })

  it('fails in one line with the API\'s code: unknown user, plan in use, bad input', async () => {
    await cli(['users:create', '--name', 'Kim', '--email', 'kim@example.com', '--plan', 'pro'], env)
    const cases: Array<[string[], string]> = [
      [['keys:create', '--user', 'nobody@example.com'], 'USER_NOT_FOUND'],
      [['plans:delete', 'pro'], 'PLAN_IN_USE'],
      [['users:create', '--name', 'x', '--plan', 'platinum'], 'PLAN_NOT_FOUND'],
      [['users:create', '--name', 'x', '--requests-per-minute=-5'], 'INVALID_REQUEST'],
      [['keys:create', '--user', 'kim@example.com', '--expires', '2001-01-01'], 'INVALID_REQUEST'],
      [['keys:revoke', 'not-a-uuid'], 'INVALID_REQUEST'],
      [['users:create', '--email', 'x@example.com'], '--name is required']
    ]
    for (const [args, expected] of cases) {
      const run = await cli(args, env)
      expect(run.code, args.join(' ')).toBe(1)
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(run.stderr, args.join(' ')).toContain(expected)
    }
  })

  it('tells the operator to migrate an empty database', async () => {
    const empty = await createTestDatabase('cli_empty')
    try {
      const run = await cli(['users:list'], { DATABASE_URL: empty.url })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain('pnpm db:migrate')
    } finally {
      await empty.drop()
    }
  })
})
