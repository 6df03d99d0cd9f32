import type { IncomingHttpHeaders, Server } from 'node:http'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Fault } from './faults/fault.js'
import type { ChatCompletionRequest } from './schemas/chat-completion-request.js'

export interface MockProviderOptions {
  /** Listed by `GET /v1/models`. Default: mock-gpt, mock-gpt-mini, mock-embedding. */
  models?: readonly string[]
  /** Answer unknown models with OpenAI's 404 `model_not_found` (default: accept any model). */
  strictModels?: boolean
  /** Require `Authorization: Bearer <apiKey>` on every /v1 request (`x-api-key` on /v1/messages), answering 401 as the provider does. */
  apiKey?: string
  /** Wait between two chunks of every stream (default 0). A `chunk-delay` fault overrides it. */
  chunkDelayMs?: number
  /** The assistant's text for a request (default: `Mock reply to: <first 40 chars of the last user message>`). */
  reply?: (request: ChatCompletionRequest) => string
  /** How many received requests `requests` keeps, newest last (default 1000; `stats.requests` counts all). */
  maxRecordedRequests?: number
  /**
   * Honour per-request directives in the body's `metadata` (mock_delay_ms, mock_chunk_interval_ms,
   * mock_completion_tokens) and serve `GET /__mock/stats`: for a mock in a process of its own
   * (the bench). Default false: `metadata` is ignored and /__mock does not exist.
   */
  directives?: boolean
  /** Fastify logger option (default false: tests and benchmarks stay quiet). */
  logger?: FastifyServerOptions['logger']
}

export interface StartMockProviderOptions extends MockProviderOptions {
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0 (a free port). */
  port?: number
}

/** One request as the mock received it: what a router under test really sent upstream. */
export interface RecordedRequest {
  method: string
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string
  /** Path with the query string. */
  url: string
  headers: IncomingHttpHeaders
  /** The parsed JSON body; undefined for bodiless requests and for those refused before parsing. */
  body: unknown
}

export interface MockProviderStats {
  /** HTTP requests received since start or the last reset(), every path and outcome included. */
  requests: number
  /** TCP connections accepted since start or the last reset() (keep-alive reuse does not add). */
  connections: number
}

export interface MockProvider {
  /** The Fastify app (for `inject()`, or to listen yourself). */
  readonly app: FastifyInstance
  /** The Node HTTP server behind `app` (e.g. for @switchyard/testing's countConnections). */
  readonly server: Server
  /** Received requests, oldest first (a snapshot). */
  readonly requests: readonly RecordedRequest[]
  /** A snapshot of the counters. */
  readonly stats: MockProviderStats
  /** Queued faults not yet consumed. */
  readonly pendingFaults: number
  /** The next requests to chat/completions, embeddings or messages each consume one fault, in order. */
  enqueue: (...faults: Fault[]) => void
  /** Misbehave on every such request once the queue is empty (undefined = behave). */
  setDefaultFault: (fault: Fault | undefined) => void
  /** Clears queued faults, the default fault, recorded requests and stats. */
  reset: () => void
  /** Closes the server, destroying open sockets (stalled streams included). */
  close: () => Promise<void>
}

export interface StartedMockProvider extends MockProvider {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string
  /** `${url}/v1`: the OpenAI `baseURL`. */
  readonly baseUrl: string
  readonly port: number
}
