import { onTestFinished } from 'vitest'
import { startMockProvider, type StartMockProviderOptions, type StartedMockProvider } from '../../src/index.js'

/** A mock provider on 127.0.0.1:0 for one test, closed when the test ends. */
export async function startForTest (opts: StartMockProviderOptions = {}): Promise<StartedMockProvider> {
  const provider = await startMockProvider(opts)
  onTestFinished(async () => { await provider.close() })
  return provider
}
