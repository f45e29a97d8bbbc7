import pino from 'pino'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openCache } from '../src/cache/open-cache.js'
import { CursorCodec } from '../src/paging/cursor.js'
import { ConnectionManager } from '../src/warehouse/connection-manager.js'
import { CostTracker } from '../src/warehouse/cost-tracker.js'
import { Warehouse } from '../src/warehouse/warehouse.js'

/**
 * The OpenAPI document of the route schemas alone, as YAML. The app is built with no actions, so no per-action
 * operations (they depend on a deployment's ACTIONS_DIR), and with defaults rather than this shell's environment.
 * Its warehouse never connects: pools open on the first query, and nothing is queried.
 */
export async function genericOpenapiYaml (): Promise<string> {
  const config = loadConfig({})
  const logger = pino({ level: 'silent' })
  const connections = new ConnectionManager({ account: 'UNUSED', user: 'UNUSED', authenticator: 'SNOWFLAKE' }, config.pool, logger)
  const app = await buildApp(config, {
    logger,
    actions: new Map(),
    warehouse: new Warehouse(connections, new CostTracker(logger), logger, config.costs),
    cache: openCache({ ...config.cache, maxEntries: 1 }, logger).cache,
    cursors: new CursorCodec(undefined, config.cursorTtlSeconds)
  })
  try {
    await app.ready()
    return app.swagger({ yaml: true })
  } finally {
    await app.close()
  }
}
