// Production entry: `node dist/server.js`. Every setting comes from the environment (.env.example);
// ROUTES_FILE is required and names the routing table.
import { start } from './start.js'

try {
  await start(process.env)
} catch (err) {
  console.error('proxy-router failed to start', err)
  process.exit(1)
}
