import { DEFAULT_PLAN_ID, plans, users, type NewPlan, type Plan } from '@switchyard/db/schema'
import { isUniqueViolation, pgErrorOf, type Database } from '@switchyard/db'
import { SwitchyardError } from '@switchyard/errors'
import { asc, eq, isNull, or, sql } from 'drizzle-orm'
import { isUuid } from '../schemas/common.js'

export type PlanValues = Pick<NewPlan, 'name' | 'monthlyTokenQuota' | 'requestsPerMinute' | 'tokensPerMinute'>

function nameTaken (err: unknown, name: string | undefined): unknown {
  return isUniqueViolation(err, 'plans_name_unique') ? new SwitchyardError('PLAN_NAME_TAKEN', { details: { name, param: 'name' } }) : err
}

export async function listPlans (db: Database): Promise<Plan[]> {
  return await db.select().from(plans).orderBy(asc(plans.createdAt), asc(plans.name))
}

/** A plan by id (when `ref` is a UUID) or by name; throws PLAN_NOT_FOUND. */
export async function getPlan (db: Database, ref: string): Promise<Plan> {
  const [row] = await db.select().from(plans).where(isUuid(ref) ? eq(plans.id, ref.toLowerCase()) : eq(plans.name, ref)).limit(1)
  if (row === undefined) throw new SwitchyardError('PLAN_NOT_FOUND', { details: { plan: ref } })
  return row
}

/** A plan reference as users carry it: null = the default plan (stored as null), else id or name. */
export async function resolvePlanId (db: Database, ref: string | null): Promise<string | null> {
  return ref === null ? null : (await getPlan(db, ref)).id
}

export async function insertPlan (db: Database, values: PlanValues): Promise<Plan> {
  try {
    const [row] = await db.insert(plans).values(values).returning()
    if (row === undefined) throw new Error('insert into plans returned no row')
    return row
  } catch (err) {
    throw nameTaken(err, values.name)
  }
}

export async function updatePlan (db: Database, ref: string, values: Partial<PlanValues>): Promise<Plan> {
  const current = await getPlan(db, ref)
  try {
    const [row] = await db.update(plans).set({ ...values, updatedAt: new Date() }).where(eq(plans.id, current.id)).returning()
    if (row === undefined) throw new SwitchyardError('PLAN_NOT_FOUND', { details: { plan: ref } })
    return row
  } catch (err) {
    throw nameTaken(err, values.name)
  }
}

/** Users on a plan; users without a plan count towards the default plan. */
export async function countPlanUsers (db: Database, planId: string): Promise<number> {
  const onPlan = planId === DEFAULT_PLAN_ID ? or(eq(users.planId, planId), isNull(users.planId)) : eq(users.planId, planId)
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(onPlan)
  return Number(row?.n ?? 0)
}

/**
 * Deletes a plan nobody is on. The default plan is never deleted (users without a plan are on
 * it); a plan in use is refused with PLAN_IN_USE, including when a user joins it between the
 * count and the delete (the foreign key is `restrict`).
 */
export async function deletePlan (db: Database, ref: string): Promise<Plan> {
  const plan = await getPlan(db, ref)
  if (plan.id === DEFAULT_PLAN_ID) throw new SwitchyardError('DEFAULT_RESOURCE_PROTECTED', { details: { resource: 'plan', id: plan.id } })
  const inUse = async (): Promise<SwitchyardError> =>
    new SwitchyardError('PLAN_IN_USE', { details: { plan: plan.name, users: await countPlanUsers(db, plan.id) } })
  if (await countPlanUsers(db, plan.id) > 0) throw await inUse()
  try {
    const [row] = await db.delete(plans).where(eq(plans.id, plan.id)).returning()
    if (row === undefined) throw new SwitchyardError('PLAN_NOT_FOUND', { details: { plan: ref } })
    return row
  } catch (err) {
    // 23503 = foreign_key_violation: a user was put on the plan after the count.
    if (pgErrorOf(err)?.code === '23503') throw await inUse()
    throw err
  }
}
