import { Type, type Static } from '@sinclair/typebox'
import { LogEnv } from '@switchyard/config'

/** The standalone mock's environment (`pnpm dev`, benchmarks, manual curl). */
export const MockProviderEnvSchema = Type.Object({
  MOCK_PROVIDER_HOST: Type.String({ default: '127.0.0.1' }),
  MOCK_PROVIDER_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8090 }),
  /** Wait between two chunks of every stream, to make streaming visible by eye. */
  MOCK_PROVIDER_CHUNK_DELAY_MS: Type.Integer({ minimum: 0, default: 0 }),
  /** true: honour per-request `metadata` directives and serve GET /__mock/stats (the bench sets it). */
  MOCK_PROVIDER_DIRECTIVES: Type.Boolean({ default: false }),
  /** When set, every /v1 request must carry `Authorization: Bearer <this>`. */
  MOCK_PROVIDER_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** Comma-separated model ids for /v1/models (default: mock-gpt, mock-gpt-mini, mock-embedding). */
  MOCK_PROVIDER_MODELS: Type.Optional(Type.String({ minLength: 1 })),
  /** How long SIGTERM/SIGINT waits for close() before the process is killed. */
  MOCK_PROVIDER_SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 5000 }),
  /** Human-readable log lines (true), pino JSON (false); unset = readable only on a terminal. `pnpm dev` sets true. */
  LOG_PRETTY: Type.Optional(Type.Boolean()),
  ...LogEnv
})

export type MockProviderEnv = Static<typeof MockProviderEnvSchema>
