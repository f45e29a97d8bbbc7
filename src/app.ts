import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { LoggerOptions } from 'pino'
import type { Action } from './actions/load.js'
import type { Config } from './config.js'
import type { CursorCodec } from './paging/cursor.js'
import docs from './plugins/docs.js'
import type { Tenants } from './auth/tenants.js'
import auth from './plugins/auth.js'
import { registerErrorHandler } from './plugins/error-handler.js'
import rateLimits from './plugins/rate-limit.js'
import requestLog from './plugins/request-log.js'
import { registerFormBody } from './plugins/form-body.js'
import { actionRoutes } from './routes/actions.js'
import { cacheRoutes } from './routes/cache.js'
import { connectionRoutes } from './routes/connection.js'
import { executeRoutes } from './routes/execute.js'
import { healthRoutes } from './routes/health.js'
import { queryRoutes } from './routes/queries.js'
import { streamRoutes } from './routes/stream.js'
import { actionSchema } from './schemas/action.js'
import { errorSchema } from './schemas/error.js'
import type { ReadResult, Warehouse } from './warehouse/warehouse.js'
import type { ResultCache } from './cache/result-cache.js'
import { SingleFlight } from './cache/single-flight.js'
import drain from './plugins/drain.js'
import health from './plugins/health.js'
import loadShedding from './plugins/load-shedding.js'
import metrics from './plugins/metrics.js'
import { lazyChildLogger } from './request-logger.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    actions: Map<string, Action>
    warehouse: Warehouse
    cache: ResultCache
    flights: SingleFlight<ReadResult>
    cursors: CursorCodec
  }
}

export interface AppDependencies {
  logger: FastifyBaseLogger
  actions: Map<string, Action>
  warehouse: Warehouse
  cache: ResultCache
  cursors: CursorCodec
  /** Absent: demo mode, open to every caller. */
  tenants?: Tenants
}

const requestIdPattern = /^[\w.:-]{1,128}$/

export function loggerOptions (level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.password', '*.privateKeyPass', '*.privateKey', '*.token', '*.apiKey'],
      censor: '[redacted]'
    }
  }
}

export async function buildApp (config: Config, deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // request-log writes one line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    // A caller's own request id is kept when it is sane, so its logs and ours line up.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } }
  })
  app.decorate('config', config)
  app.decorate('actions', deps.actions)
  app.decorate('warehouse', deps.warehouse)
  app.decorate('cache', deps.cache)
  app.decorate('flights', new SingleFlight<ReadResult>())
  app.decorate('cursors', deps.cursors)
  app.addSchema(errorSchema)
  app.addSchema(actionSchema)
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  registerFormBody(app)
  registerErrorHandler(app)
  // Before every route: their hooks must see all routes, and shedding comes before any other work.
  await app.register(drain)
  await app.register(metrics)
  await app.register(loadShedding)
  await app.register(health)
  await app.register(requestLog)
  await app.register(auth, { tenants: deps.tenants })
  await app.register(rateLimits, { max: config.rateLimit.max, windowSeconds: config.rateLimit.windowSeconds, redisUrl: config.redisUrl })
  await app.register(docs, { actions: deps.actions })
  await app.register(healthRoutes)
  await app.register(actionRoutes)
  await app.register(executeRoutes)
  await app.register(streamRoutes)
  await app.register(cacheRoutes)
  await app.register(queryRoutes)
  await app.register(connectionRoutes)
  return app
}
