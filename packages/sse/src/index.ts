export { SseFrameSplitter, frameData, frameEnd, defaultMaxFrameBytes, type SseFrameSplitterOptions } from './frame-splitter.js'
export { relayInto, relaySse, SseRelay, type ErrorEventFor } from './sse-relay.js'
export { sseErrorEvent } from './sse-error-event.js'
export { ReadThrough, type ReadThroughOutput } from './read-through.js'
