import { DEFAULT_PLAN_ID, DEFAULT_USER_ID, apiKeys, plans, users, type LimitOverrides, type User } from '@switchyard/db/schema'
import { isUniqueViolation, pgErrorOf, type Database } from '@switchyard/db'
import { SwitchyardError } from '@switchyard/errors'
import { asc, eq, sql } from 'drizzle-orm'
import { isUuid } from '../schemas/common.js'
import { overridesChangeSql, type OverridesChange } from './limit-overrides.js'

/** A user with the plan it is effectively on (a null plan_id is the default plan). */
export type UserWithPlan = User & { plan: { id: string, name: string } }

export interface UserValues {
  name: string
  email: string | null
  planId: string | null
  limitOverrides: LimitOverrides
}

const effectivePlanId = sql`coalesce(${users.planId}, ${DEFAULT_PLAN_ID}::uuid)`

function selectUsers (db: Database) {
  return db.select({ user: users, planId: plans.id, planName: plans.name })
    .from(users)
    .innerJoin(plans, eq(plans.id, effectivePlanId))
}

function withPlan (row: { user: User, planId: string, planName: string }): UserWithPlan {
  return { ...row.user, plan: { id: row.planId, name: row.planName } }
}

function conflict (err: unknown, values: { email?: string | null, planId?: string | null }): unknown {
  if (isUniqueViolation(err, 'users_email_unique')) return new SwitchyardError('USER_EMAIL_TAKEN', { details: { email: values.email, param: 'email' } })
  // 23503 = foreign_key_violation: the plan was deleted between resolving it and writing.
  if (pgErrorOf(err)?.code === '23503') return new SwitchyardError('PLAN_NOT_FOUND', { details: { plan: values.planId, param: 'plan' } })
  return err
}

/** Emails are unique and compared in lower case. */
export function normaliseEmail (email: string | null): string | null {
  return email === null ? null : email.trim().toLowerCase()
}

export async function listUsers (db: Database, page: { limit: number, offset: number }): Promise<{ rows: UserWithPlan[], hasMore: boolean }> {
  const rows = await selectUsers(db).orderBy(asc(users.createdAt), asc(users.id)).limit(page.limit + 1).offset(page.offset)
  return { rows: rows.slice(0, page.limit).map(withPlan), hasMore: rows.length > page.limit }
}

/** A user by id, or (for the CLI) by email when `ref` is not a UUID; throws USER_NOT_FOUND. */
export async function getUser (db: Database, ref: string): Promise<UserWithPlan> {
  const where = isUuid(ref) ? eq(users.id, ref.toLowerCase()) : eq(users.email, normaliseEmail(ref) ?? '')
  const [row] = await selectUsers(db).where(where).limit(1)
  if (row === undefined) throw new SwitchyardError('USER_NOT_FOUND', { details: { user: ref } })
  return withPlan(row)
}

export async function insertUser (db: Database, values: UserValues): Promise<UserWithPlan> {
  let id: string
  try {
    const [row] = await db.insert(users).values({ ...values, email: normaliseEmail(values.email) }).returning({ id: users.id })
    if (row === undefined) throw new Error('insert into users returned no row')
    id = row.id
  } catch (err) {
    throw conflict(err, values)
  }
  return await getUser(db, id)
}

export type UserChanges = Partial<Omit<UserValues, 'limitOverrides'>> & { limits?: OverridesChange }

export async function updateUser (db: Database, id: string, { limits, ...values }: UserChanges): Promise<UserWithPlan> {
  const set = {
    ...values,
    ...(values.email === undefined ? {} : { email: normaliseEmail(values.email) }),
    ...(limits === undefined ? {} : { limitOverrides: overridesChangeSql(users.limitOverrides, limits) }),
    updatedAt: new Date()
  }
  try {
    const [row] = await db.update(users).set(set).where(eq(users.id, id)).returning({ id: users.id })
    if (row === undefined) throw new SwitchyardError('USER_NOT_FOUND', { details: { user: id } })
  } catch (err) {
    throw conflict(err, values)
  }
  return await getUser(db, id)
}

/**
 * Deletes a user and, through the foreign key, all of its keys (and their usage rows). Returns
 * the deleted keys' hashes so the caller can evict them from its key cache. The default user is
 * never deleted: keys without a user belong to it.
 */
export async function deleteUser (db: Database, id: string): Promise<{ user: UserWithPlan, keyHashes: string[] }> {
  if (id.toLowerCase() === DEFAULT_USER_ID) throw new SwitchyardError('DEFAULT_RESOURCE_PROTECTED', { details: { resource: 'user', id } })
  const user = await getUser(db, id)
  const keyHashes = await db.transaction(async (tx) => {
    const keys = await tx.select({ keyHash: apiKeys.keyHash }).from(apiKeys).where(eq(apiKeys.userId, user.id))
    await tx.delete(users).where(eq(users.id, user.id))
    return keys.map((k) => k.keyHash)
  })
  return { user, keyHashes }
}
