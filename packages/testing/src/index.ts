export { infraFor, createTestDatabase, createRedisPrefix, testDatabaseAdminUrl, testRedisUrl, type Availability, type TestDatabase, type TestRedisPrefix } from './infra.js'
export { countConnections, type ConnectionCounter } from './connections.js'
export { startBlackhole, type Blackhole } from './blackhole.js'
export { listenOnLoopback, closedPort, type Listenable } from './listen.js'
