import { startMockProvider, type StartMockProviderOptions, type StartedMockProvider } from '@switchyard/mock-provider'
import { onTestFinished } from 'vitest'

/** A mock provider on port 0 for one test, closed when it finishes. */
export async function startMock (opts: StartMockProviderOptions = {}): Promise<StartedMockProvider> {
  const mock = await startMockProvider(opts)
  onTestFinished(async () => { await mock.close() })
  return mock
}

/** The JSON body of a request the mock recorded (whether it kept it parsed or raw). */
export function recordedBody (body: unknown): Record<string, unknown> {
  return (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>
}
