// The tables and their row types. Also published as `@switchyard/db/schema` so code that only
// needs types or table objects does not pull in the drivers.
export { limitNames, type LimitName, type LimitOverrides } from './limits.js'
export { plans, DEFAULT_PLAN_ID, type Plan, type NewPlan } from './plans.js'
export { users, DEFAULT_USER_ID, type User, type NewUser } from './users.js'
export { apiKeys, type ApiKey, type NewApiKey } from './api-keys.js'
export { usageEvents, type UsageAttempt, type UsageEvent, type NewUsageEvent } from './usage-events.js'
export { authRevision } from './auth-revision.js'
