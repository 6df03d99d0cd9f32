// Production entry: `node dist/server.js`. Every setting comes from the environment (.env.example);
// a .env file in the working directory is loaded first if present, and the real environment wins.
// ROUTES_FILE is required and names the routing table; a relative path is resolved from the
// working directory.
import { loadEnvFileIfPresent } from '@switchyard/config'
import { exitOnBootError } from '@switchyard/fastify-kit'
import { start } from './start.js'

try {
  loadEnvFileIfPresent()
} catch (err) {
  exitOnBootError('proxy-router', err)
}
// start() reports any boot failure as one line on stderr and exits 1.
await start(process.env)
