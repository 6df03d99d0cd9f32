import { createHash } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import { DatabaseEnv, InternalAuthEnv, RedisEnv, loadConfig, maskConfig, maskSecret, maskUrl, notSecret, secret, unmarkedSecretLookingNames } from '../src/index.js'

const TOKEN = 'tok-3f9a1c7e5b2d8f4a6c0e9b1d'
const sha12 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 12)

describe('maskSecret', () => {
  it('shows only whether a secret is set and the first 12 hex digits of its SHA-256', () => {
    expect(maskSecret(TOKEN)).toEqual({ set: true, sha256: sha12(TOKEN) })
    expect(maskSecret(undefined)).toEqual({ set: false, sha256: null })
    expect(maskSecret('')).toEqual({ set: false, sha256: null })
  })
})

describe('maskUrl', () => {
  it('keeps scheme, host, port and database, and masks user, password and query', () => {
    const masked = maskUrl('postgres://switchyard:s3cret-pw-0123456789@db.internal:5432/switchyard?sslmode=require&password=other')
    expect(masked.url).toBe('postgres://db.internal:5432/switchyard')
    expect(masked.credentials.set).toBe(true)
    expect(JSON.stringify(masked)).not.toMatch(/s3cret|other|switchyard:/)
  })

  it('says "no credentials" for a URL without any', () => {
    expect(maskUrl('redis://127.0.0.1:6379/2')).toEqual({ url: 'redis://127.0.0.1:6379/2', credentials: { set: false, sha256: null } })
  })

  it('masks a value that does not parse as a URL as a whole', () => {
    expect(maskUrl('not a url but maybe a password')).toEqual({ url: null, credentials: maskSecret('not a url but maybe a password') })
  })
})

describe('maskConfig', () => {
  const Schema = Type.Object({
    ...InternalAuthEnv,
    ...DatabaseEnv,
    ...RedisEnv,
    ADMIN_TOKEN: Type.Optional(secret(Type.String({ minLength: 16 }))),
    REDIS_KEY_PREFIX: notSecret(Type.String({ default: 'sy:' })),
    OTHER_API_KEY: Type.Optional(Type.String()),
    PORT: Type.Integer({ default: 8080 }),
    NOTE_URL: Type.Optional(Type.String())
  })

  it('masks marked secrets, keeps the rest, and fails closed on an unmarked secret-looking name', () => {
    const config = loadConfig(Schema, {
      INTERNAL_TOKEN: TOKEN,
      DATABASE_URL: 'postgres://app:pg-pass-0123456789@10.0.0.5:5432/sy',
      REDIS_URL: 'rediss://default:redis-pass-0123456789@cache:6380',
      OTHER_API_KEY: 'unmarked-key-0123456789',
      NOTE_URL: 'https://user:note-pass-0123456789@example.test/x'
    })
    const masked = maskConfig(Schema, config)
    expect(masked['INTERNAL_TOKEN']).toEqual({ set: true, sha256: sha12(TOKEN) })
    expect(masked['ADMIN_TOKEN']).toEqual({ set: false, sha256: null })
    expect(masked['DATABASE_URL']).toMatchObject({ url: 'postgres://10.0.0.5:5432/sy', credentials: { set: true } })
    expect(masked['REDIS_URL']).toMatchObject({ url: 'rediss://cache:6380', credentials: { set: true } })
    expect(masked['REDIS_KEY_PREFIX']).toBe('sy:')
    expect(masked['PORT']).toBe(8080)
    expect(masked['OTHER_API_KEY']).toEqual(maskSecret('unmarked-key-0123456789'))
    expect(masked['NOTE_URL']).toBe('https://***@example.test/x')
    expect(JSON.stringify(masked)).not.toMatch(/0123456789|tok-3f9a/)
  })

  it('names secret-looking settings that carry no mark, so a schema test can refuse them', () => {
    expect(unmarkedSecretLookingNames(Schema)).toEqual(['OTHER_API_KEY'])
  })

  it('leaves out values that are not settings of the schema', () => {
    const masked = maskConfig(Type.Object({ PORT: Type.Integer() }), { PORT: 1, PGPASSWORD: 'stray-0123456789' })
    expect(masked).toEqual({ PORT: 1 })
  })

  it('does not change what the schema accepts', () => {
    expect(() => loadConfig(Schema, { INTERNAL_TOKEN: 'short' })).toThrow(/INTERNAL_TOKEN/)
  })
})
