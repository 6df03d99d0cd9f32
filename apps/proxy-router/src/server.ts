// Production entry: `node dist/server.js`. Every setting comes from the environment (.env.example);
// a .env file in the working directory is loaded first if present, and the real environment wins.
// The routing table comes from exactly one of ROUTES_FILE (a path; a relative one is resolved
// from the working directory) or ROUTES_JSON (the table itself, e.g. from a parameter store).
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
