import type { FastifyInstance } from 'fastify'
import pino, { type Logger } from 'pino'
import { loadActions } from './actions/load.js'
import { Tenants } from './auth/tenants.js'
import { buildApp, loggerOptions } from './app.js'
import type { Config, SnowflakeConfig } from './config.js'
import type { Emulator, EmulatorOptions } from 'snowflake-emulator'
import { openCache } from './cache/open-cache.js'
import { CursorCodec } from './paging/cursor.js'
import { CxoneClient } from './cxone/client.js'
import { RedisConnection } from './redis/redis-connection.js'
import { closeApp } from './shutdown.js'
import { ConnectionManager } from './warehouse/connection-manager.js'
import { CostTracker } from './warehouse/cost-tracker.js'
import { configureDriver } from './warehouse/driver.js'
import { applyHeapGrowth } from './heap-growth.js'
import { Warehouse } from './warehouse/warehouse.js'

export interface Service {
  app: FastifyInstance
  warehouse: Warehouse
  /** Present when no Snowflake account is configured and the embedded emulator answers instead. */
  emulator?: Emulator
  close: () => Promise<void>
}

/**
 * How the gateway reaches the embedded emulator: its demo mode accepts any credentials. Its URL has a new port
 * at every start, but its demo data is the same (deterministic), so cache keys name it by what it serves:
 * cached results and cursors survive a restart and are shared by demo replicas on one Redis. An emulator given
 * other data (its own engine, no demo data) is named by its URL, as an account is.
 */
function embeddedSnowflake (url: string, options: EmulatorOptions): SnowflakeConfig {
  const demoData = options.engine === undefined && options.demoData !== false
  return {
    account: 'DEMO',
    user: 'GATEWAY',
    authenticator: 'SNOWFLAKE',
    password: 'demo',
    warehouse: 'DEMO_WH',
    database: 'ANALYTICS_DB',
    schema: 'PUBLIC',
    accessUrl: url,
    ...(demoData ? { location: `embedded-emulator:demo-data:${options.bigTableRows ?? 'default'}` } : {})
  }
}

/** Wires configuration, actions, the warehouse and the HTTP app together; `close` undoes it in order. */
export async function createService (config: Config, options: { logger?: Logger, emulator?: EmulatorOptions } = {}): Promise<Service> {
  const logger = options.logger ?? pino(loggerOptions(config.logLevel))
  // Process-wide, like the driver's configuration: the service owns its process.
  applyHeapGrowth(config.heapGrowingPercent)
  // Files first: a bad one stops the start before anything is started.
  const actions = await loadActions(config.actionsDir)
  const tenants = config.apiKeysFile ? await Tenants.load(config.apiKeysFile) : undefined
  if (!tenants) logger.warn('no API_KEYS_FILE: demo mode, the gateway is open to every caller')
  let emulator: Emulator | undefined
  let snowflake = config.snowflake
  if (!snowflake) {
    const { startEmulator } = await import('snowflake-emulator')
    const emulatorOptions: EmulatorOptions = { demoData: true, ...options.emulator }
    emulator = await startEmulator(emulatorOptions)
    snowflake = embeddedSnowflake(emulator.url, emulatorOptions)
    logger.info({ emulator: emulator.url }, 'no SNOWFLAKE_ACCOUNT: using the embedded Snowflake emulator with its demo data')
  }
  if (!config.cursorSecret) logger.warn('CURSOR_SECRET is not set: page cursors and cache entries are signed with a random per-process secret and do not survive a restart or reach other replicas')
  configureDriver(logger)
  const connections = new ConnectionManager(snowflake, config.pool, logger)
  const warehouse = new Warehouse(connections, new CostTracker(logger), logger, config.costs)
  const cursors = new CursorCodec(config.cursorSecret, config.cursorTtlSeconds)
  // One connection for the cache, its locks, jobs and rate limits; with CACHE_*_TIMEOUT_MS as its deadlines.
  const redis = config.redisUrl
    ? new RedisConnection({ url: config.redisUrl, timeoutMs: config.cache.timeoutMs, writeTimeoutMs: config.cache.writeTimeoutMs, breaker: config.redisBreaker }, logger)
    : undefined
  const { cache, jobs } = openCache({ maxEntries: config.cache.maxEntries, secret: config.cursorSecret }, logger, redis)
  // Connect before the first request (the client refuses commands while connecting); a Redis that is down
  // does not stop the start: the cache fails open and the client keeps reconnecting.
  if (!redis) logger.info('result cache: in-process memory (no REDIS_URL)')
  else if (await redis.open()) logger.info('result cache and rate limits: Redis')
  else logger.warn('result cache and rate limits: Redis is not answering yet: serving from the warehouse and counting in this process until it does')
  // Signals finished jobs to the contacts waiting for them; without CXone configured, jobs are fetched only.
  const cxone = config.cxone ? new CxoneClient(config.cxone, logger.child({ component: 'cxone' })) : undefined
  logger.info(cxone ? 'CXone: configured, jobs can signal the contact waiting for them' : 'CXone: not configured (no CXONE_ISSUER or CXONE_*_URL): jobs cannot signal contacts; everything else works')
  const app = await buildApp(config, { logger, actions, watchActions: true, warehouse, cache, redis, cursors, tenants, jobs: { store: jobs, notifier: cxone } })
  logger.info({ actions: [...actions.keys()] }, `loaded ${actions.size} action(s) from ${config.actionsDir}`)
  return {
    app,
    warehouse,
    emulator,
    close: async () => {
      await closeApp(app, config.shutdown)
      await warehouse.close()
      await cxone?.close()
      await cache.close()
      await redis?.close()
      await emulator?.close()
    }
  }
}
