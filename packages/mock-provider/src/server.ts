// Standalone mock provider for `pnpm dev` and benchmarks: `node dist/server.js` (or tsx).
// The only file that reads process.env (plus a .env in the working directory, if present; the
// real environment wins). SIGTERM/SIGINT close the server (open streams are cut: it is a fake,
// nothing in flight is worth waiting for; `pnpm dev` stops it last) and exit 0.
import { readFileSync } from 'node:fs'
import { loadConfig, loadEnvFileIfPresent } from '@switchyard/config'
import { exitOnBootError } from '@switchyard/fastify-kit'
import { buildLoggerOptions } from '@switchyard/logger'
import closeWithGrace from 'close-with-grace'
import { MockProviderEnvSchema, type MockProviderEnv } from './config.js'
import { startMockProvider } from './provider.js'

const name = 'mock-provider'
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

let config: Readonly<MockProviderEnv>
try {
  loadEnvFileIfPresent()
  config = loadConfig(MockProviderEnvSchema, process.env)
} catch (err) {
  exitOnBootError(name, err)
}

try {
  const provider = await startMockProvider({
    host: config.MOCK_PROVIDER_HOST,
    port: config.MOCK_PROVIDER_PORT,
    chunkDelayMs: config.MOCK_PROVIDER_CHUNK_DELAY_MS,
    directives: config.MOCK_PROVIDER_DIRECTIVES,
    apiKey: config.MOCK_PROVIDER_API_KEY,
    models: config.MOCK_PROVIDER_MODELS?.split(',').map((m) => m.trim()).filter((m) => m !== ''),
    logger: buildLoggerOptions({ service: name, version, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY })
  })
  const log = provider.app.log
  closeWithGrace({ delay: config.MOCK_PROVIDER_SHUTDOWN_GRACE_MS, logger: log }, async ({ signal, err }) => {
    if (err !== undefined) log.error({ err }, 'shutting down after an unhandled error')
    else log.info({ signal }, 'shutting down')
    await provider.close()
  })
  log.info({ baseUrl: provider.baseUrl, auth: config.MOCK_PROVIDER_API_KEY !== undefined }, `mock provider listening on ${provider.baseUrl}`)
} catch (err) {
  exitOnBootError(name, err, { host: config.MOCK_PROVIDER_HOST, port: config.MOCK_PROVIDER_PORT, portSetting: 'MOCK_PROVIDER_PORT' })
}
