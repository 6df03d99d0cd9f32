// The tables and their row types. Also published as `@switchyard/db/schema` so code that only
// needs types or table objects does not pull in the drivers.
export { plans, type Plan, type NewPlan } from './plans.js'
export { users, type User, type NewUser } from './users.js'
export { apiKeys, type ApiKey, type NewApiKey } from './api-keys.js'
export { usageEvents, type UsageEvent, type NewUsageEvent } from './usage-events.js'
