// Production entry: `node dist/server.js`. Every setting comes from the environment (.env.example);
// a .env file in the working directory is loaded first if present, and the real environment wins.
import { loadEnvFileIfPresent } from '@switchyard/config'
import { exitOnBootError } from '@switchyard/fastify-kit'
import { start } from './start.js'

try {
  loadEnvFileIfPresent()
} catch (err) {
  exitOnBootError('gateway', err)
}
// start() reports any boot failure as one line on stderr and exits 1.
await start(process.env)
