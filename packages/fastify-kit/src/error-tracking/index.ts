// Error tracking: pure grouping (grouper.ts), the plugin doing log/Sentry I/O (plugin.ts).
export { ErrorGrouper, type GrouperOptions } from './grouper.js'
export { errorTrackingPlugin, type ErrorTracker, type ErrorTrackingOptions } from './plugin.js'
export { scrubEvent, scrubText } from './scrub.js'
export { markTracked, wasTracked } from './tracked-errors.js'
export type { EventTags, GroupedLine, Severity, Suppressed, TrackedEvent } from './types.js'
