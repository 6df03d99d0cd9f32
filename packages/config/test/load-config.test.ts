import { describe, expect, it } from 'vitest'
import { Type } from '@sinclair/typebox'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, HttpEnv, InternalAuthEnv, LogEnv, loadConfig, loadDevSecrets, loadEnvFileIfPresent } from '../src/index.js'

const Schema = Type.Object({ ...HttpEnv(8080), ...InternalAuthEnv })

describe('loadConfig', () => {
  it('applies defaults, coerces numbers and freezes the result', () => {
    const cfg = loadConfig(Schema, { PORT: '9000', INTERNAL_TOKEN: 'x'.repeat(16) })
    expect(cfg.PORT).toBe(9000)
    expect(cfg.HOST).toBe('0.0.0.0')
    expect(cfg.KEEP_ALIVE_TIMEOUT_MS).toBe(245_000)
    expect(cfg.REQUEST_TIMEOUT_MS).toBe(60_000)
    expect(Object.isFrozen(cfg)).toBe(true)
  })

  it('names the missing secret instead of inventing a default', () => {
    expect(() => loadConfig(Schema, {})).toThrow(ConfigError)
    expect(() => loadConfig(Schema, {})).toThrow(/INTERNAL_TOKEN/)
  })

  it('treats empty strings as unset', () => {
    const cfg = loadConfig(Schema, { PORT: '', INTERNAL_TOKEN: 'y'.repeat(16) })
    expect(cfg.PORT).toBe(8080)
  })

  it('rejects an out-of-range port', () => {
    expect(() => loadConfig(Schema, { PORT: '70000', INTERNAL_TOKEN: 'y'.repeat(16) })).toThrow(/PORT/)
  })
})

describe('loadDevSecrets', () => {
  it('returns the same secrets to every process that asks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-dev-'))
    try {
      const a = loadDevSecrets(dir)
      const b = loadDevSecrets(dir)
      expect(b).toEqual(a)
      expect(a.apiKey.startsWith('sk-sy-')).toBe(true)
      expect(a.healthToken).not.toBe(a.internalToken)
      expect(a.healthToken.length).toBeGreaterThanOrEqual(16)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('gives a secrets file written before HEALTH_TOKEN existed the same derived health token in every process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-dev-'))
    try {
      writeFileSync(join(dir, 'dev-secrets.json'), JSON.stringify({ internalToken: 'dev-internal-0123456789abcdef', adminToken: 'dev-admin-0123456789abcdef', apiKey: 'sk-sy-x' }))
      const a = loadDevSecrets(dir)
      expect(a.healthToken.length).toBeGreaterThanOrEqual(16)
      expect(a.healthToken).not.toBe(a.internalToken)
      expect(loadDevSecrets(dir).healthToken).toBe(a.healthToken)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('loadConfig isolation', () => {
  it('never reads process.env behind the caller\'s back', () => {
    process.env['SY_TEST_ONLY_PORT_PROBE'] = '1'
    const Probe = Type.Object({ SY_TEST_ONLY_PORT_PROBE: Type.Optional(Type.String()) })
    try {
      expect(loadConfig(Probe, {}).SY_TEST_ONLY_PORT_PROBE).toBeUndefined()
    } finally {
      delete process.env['SY_TEST_ONLY_PORT_PROBE']
    }
  })
})

describe('configuration errors', () => {
  const LevelSchema = Type.Object({ ...HttpEnv(8080), ...InternalAuthEnv, ...LogEnv })

  it('name every offending setting in one line, without echoing values', () => {
    let message = ''
    try {
      loadConfig(LevelSchema, { PORT: '70000', LOG_LEVEL: 'loud', INTERNAL_TOKEN: 'short-secret' })
    } catch (err) {
      message = (err as Error).message
    }
    expect(message.split('\n')).toHaveLength(1)
    expect(message).toContain('PORT must be <= 65535')
    expect(message).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent')
    expect(message).toContain('INTERNAL_TOKEN must NOT have fewer than 16 characters')
    expect(message).not.toContain('short-secret')
    expect(message).not.toContain('loud')
  })

  it('say plainly that a required setting is missing', () => {
    expect(() => loadConfig(LevelSchema, {})).toThrow('Invalid configuration: INTERNAL_TOKEN is required but not set')
  })
})

describe('loadEnvFileIfPresent', () => {
  it('loads .env from the directory, and the real environment wins over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-envfile-'))
    const [fromEnv, fromFile] = ['SY_TEST_ENVFILE_REAL', 'SY_TEST_ENVFILE_ONLY']
    try {
      writeFileSync(join(dir, '.env'), `${fromEnv}=file\n${fromFile}=file\n`)
      process.env[fromEnv] = 'real'
      expect(loadEnvFileIfPresent(dir)).toBe(join(dir, '.env'))
      expect(process.env[fromEnv]).toBe('real')
      expect(process.env[fromFile]).toBe('file')
      expect(loadEnvFileIfPresent(join(dir, 'missing'))).toBeUndefined()
    } finally {
      delete process.env[fromEnv]
      delete process.env[fromFile]
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
