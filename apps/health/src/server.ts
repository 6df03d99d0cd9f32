// Production entry: `node dist/server.js`. Every setting comes from the environment (.env.example).
import { start } from './start.js'

try {
  await start(process.env)
} catch (err) {
  console.error('health failed to start', err)
  process.exit(1)
}
