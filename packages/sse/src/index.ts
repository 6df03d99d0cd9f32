export { relaySse, SseRelay, completeEventsLength, type ErrorEventFor } from './sse-relay.js'
export { sseErrorEvent } from './sse-error-event.js'
