// Standalone mock provider for `pnpm dev` and benchmarks: `node dist/server.js` (or `tsx watch`).
// The only file that reads process.env. SIGTERM/SIGINT close the server (open streams are cut:
// it is a fake, nothing in flight is worth waiting for) and exit 0.
import { readFileSync } from 'node:fs'
import { ConfigError, loadConfig } from '@switchyard/config'
import { buildLoggerOptions } from '@switchyard/logger'
import closeWithGrace from 'close-with-grace'
import { MockProviderEnvSchema, type MockProviderEnv } from './config.js'
import { startMockProvider } from './provider.js'

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

let config: Readonly<MockProviderEnv>
try {
  config = loadConfig(MockProviderEnvSchema, process.env)
} catch (err) {
  console.error(`mock-provider: ${err instanceof ConfigError ? err.message : String(err)}`)
  process.exit(1)
}

try {
  const provider = await startMockProvider({
    host: config.MOCK_PROVIDER_HOST,
    port: config.MOCK_PROVIDER_PORT,
    chunkDelayMs: config.MOCK_PROVIDER_CHUNK_DELAY_MS,
    apiKey: config.MOCK_PROVIDER_API_KEY,
    models: config.MOCK_PROVIDER_MODELS?.split(',').map((m) => m.trim()).filter((m) => m !== ''),
    logger: buildLoggerOptions({ service: 'mock-provider', version, level: config.LOG_LEVEL })
  })
  const log = provider.app.log
  closeWithGrace({ delay: config.MOCK_PROVIDER_SHUTDOWN_GRACE_MS, logger: log }, async ({ signal, err }) => {
    if (err !== undefined) log.error({ err }, 'shutting down after an unhandled error')
    else log.info({ signal }, 'shutting down')
    await provider.close()
  })
  log.info({ baseUrl: provider.baseUrl, auth: config.MOCK_PROVIDER_API_KEY !== undefined }, `mock provider listening on ${provider.baseUrl}`)
} catch (err) {
  console.error('mock-provider failed to start', err)
  process.exit(1)
}
