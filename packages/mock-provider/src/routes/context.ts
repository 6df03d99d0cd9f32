import type { ChatCompletionRequest } from '../schemas/chat-completion-request.js'
import type { MockState } from '../state.js'

/** What every route of a mock provider shares: its settled options and its state. */
export interface RouteContext {
  state: MockState
  models: readonly string[]
  strictModels: boolean
  chunkDelayMs: number
  /** Whether the body's `metadata` directives are honoured (directives/request-directives.ts). */
  directives: boolean
  reply: (request: ChatCompletionRequest) => string
}

export interface RouteOptions {
  ctx: RouteContext
}
