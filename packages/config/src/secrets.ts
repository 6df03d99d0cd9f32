import { createHash } from 'node:crypto'
import type { TObject, TSchema } from '@sinclair/typebox'

// Which settings are secrets, and how a configuration is shown without them (docs/debugging.md).
// A schema property is marked with a symbol key, not a JSON keyword: Ajv (env-schema) reads only
// string keys, so the mark never reaches validation, while TypeBox's own symbols travel with it.

/**
 * How a setting is shown by `maskConfig`:
 * - `value`: a secret as a whole (tokens, keys, DSNs): only whether it is set and a short hash;
 * - `url`: a URL whose credentials are secret (DATABASE_URL, REDIS_URL): scheme, host, port and
 *   path are shown, user, password and query are replaced by a short hash;
 * - `public`: a name that looks like a secret but is not (REDIS_KEY_PREFIX): shown as it is.
 */
export type SecretKind = 'value' | 'url' | 'public'

const kSecret = Symbol.for('switchyard.config.secret')

/**
 * Names that look like secrets. A property whose name matches must be marked (`secret`,
 * `secretUrl` or `notSecret`); an unmarked one is masked anyway (fail closed), and the unit test
 * over every service schema fails so the omission is noticed.
 */
export const secretNamePattern = /TOKEN|KEY|SECRET|PASSWORD|DSN/i

function mark<T extends TSchema> (schema: T, kind: SecretKind): T {
  // Spread keeps TypeBox's symbol keys (Kind, OptionalKind): the copy validates the same.
  return { ...schema, [kSecret]: kind }
}

/** Marks a setting as a secret: never shown, only "set" and a short hash. */
export const secret = <T extends TSchema>(schema: T): T => mark(schema, 'value')
/** Marks a URL setting whose credentials (user, password, query) are secret. */
export const secretUrl = <T extends TSchema>(schema: T): T => mark(schema, 'url')
/** Marks a setting whose name looks like a secret's (e.g. REDIS_KEY_PREFIX) as shown as it is. */
export const notSecret = <T extends TSchema>(schema: T): T => mark(schema, 'public')

/** The mark a property carries, if any. */
export function secretKindOf (schema: TSchema | undefined): SecretKind | undefined {
  return (schema as (TSchema & { [kSecret]?: SecretKind }) | undefined)?.[kSecret]
}

/** A secret as shown: whether it is set and the first 12 hex digits of its SHA-256, so two services can be compared. */
export interface MaskedSecret {
  set: boolean
  sha256: string | null
}

/** A URL as shown: no credentials, no query; `credentials` is the mask of what was taken out. */
export interface MaskedUrl {
  url: string | null
  credentials: MaskedSecret
}

export type MaskedValue = string | number | boolean | null | MaskedSecret | MaskedUrl

/** 12 hex digits (48 bits): enough to tell two values apart, far too few to recover a random secret. */
export function shortHash (value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12)
}

/** `{ set, sha256 }` of a secret; unset (undefined, null, '') is `{ set: false, sha256: null }`. */
export function maskSecret (value: unknown): MaskedSecret {
  if (value === undefined || value === null || value === '') return { set: false, sha256: null }
  return { set: true, sha256: shortHash(String(value)) }
}

/**
 * A URL without its user, password, query and fragment (postgres URLs may carry
 * `?password=`); what was removed is masked. A value that does not parse as a URL is masked whole.
 */
export function maskUrl (value: unknown): MaskedUrl {
  if (value === undefined || value === null || value === '') return { url: null, credentials: maskSecret(undefined) }
  let url: URL
  try {
    url = new URL(String(value))
  } catch {
    return { url: null, credentials: maskSecret(value) }
  }
  const removed = `${url.username}:${url.password}${url.search}${url.hash}`
  const hadCredentials = removed !== ':'
  url.username = ''
  url.password = ''
  url.search = ''
  url.hash = ''
  return { url: url.toString(), credentials: hadCredentials ? maskSecret(removed) : maskSecret(undefined) }
}

/** `scheme://user:pass@` in any free text (a setting that is not a URL itself). */
const credentialsInText = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi

function showPublic (value: unknown): MaskedValue {
  if (value === undefined) return null
  if (typeof value === 'string') return value.replace(credentialsInText, '$1***@')
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value
  // Settings are flat; anything else is not shown rather than risk printing an object that holds a secret.
  return { set: true, sha256: null }
}

/** How one property is shown: by its mark, else a secret-looking name is masked whole (fail closed). */
function maskOne (name: string, schema: TSchema, value: unknown): MaskedValue {
  const kind = secretKindOf(schema) ?? (secretNamePattern.test(name) ? 'value' : undefined)
  if (kind === 'value') return maskSecret(value)
  if (kind === 'url') return maskUrl(value)
  return showPublic(value)
}

/**
 * The effective configuration as it may be shown to an operator: every property of `schema`
 * (unset ones as null), secrets masked as `maskSecret`/`maskUrl`. Values not in the schema
 * (derived state such as a parsed routing table, or stray environment variables) are left out.
 */
export function maskConfig (schema: TObject, config: Readonly<Record<string, unknown>>): Record<string, MaskedValue> {
  const out: Record<string, MaskedValue> = {}
  for (const [name, property] of Object.entries(schema.properties)) {
    out[name] = maskOne(name, property, config[name])
  }
  return out
}

/** Properties whose name looks like a secret's but carry no mark: what the schema test refuses. */
export function unmarkedSecretLookingNames (schema: TObject): string[] {
  return Object.entries(schema.properties)
    .filter(([name, property]) => secretNamePattern.test(name) && secretKindOf(property) === undefined)
    .map(([name]) => name)
}
