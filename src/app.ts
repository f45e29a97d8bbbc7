import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { LoggerOptions } from 'pino'
import type { Action } from './actions/load.js'
import type { Config } from './config.js'
import type { CursorCodec } from './paging/cursor.js'
import docs from './plugins/docs.js'
import type { Tenants } from './auth/tenants.js'
import { clientErrorHandler } from './plugins/client-errors.js'
import { frameworkError, maxParamLength, registerErrorHandler } from './plugins/error-handler.js'
import requestLog from './plugins/request-log.js'
import { registerFormBody } from './plugins/form-body.js'
import { healthRoutes } from './routes/health.js'
import { v1Routes } from './routes/v1.js'
import { actionSchema } from './schemas/action.js'
import { errorSchema } from './schemas/error.js'
import { RequestTargetInvalid } from './errors.js'
import type { Warehouse } from './warehouse/warehouse.js'
import type { ResultCache } from './cache/result-cache.js'
import type { RedisConnection } from './redis/redis-connection.js'
import actionsPlugin from './plugins/actions.js'
import configPlugin from './plugins/config.js'
import cursorsPlugin from './plugins/cursors.js'
import drain from './plugins/drain.js'
import health from './plugins/health.js'
import jobs, { type JobsOptions } from './plugins/jobs.js'
import loadShedding from './plugins/load-shedding.js'
import metrics from './plugins/metrics.js'
import redis from './plugins/redis.js'
import resultCache from './plugins/result-cache.js'
import warehousePlugin from './plugins/warehouse.js'
import { lazyChildLogger } from './request-logger.js'

export interface AppDependencies {
  logger: FastifyBaseLogger
  actions: Map<string, Action>
  /** Reload the actions when a file of ACTIONS_DIR changes. */
  watchActions?: boolean
  warehouse: Warehouse
  cache: ResultCache
  /** Absent: no REDIS_URL, the cache and rate limits stay in this process. */
  redis?: RedisConnection
  cursors: CursorCodec
  /** Absent: demo mode, open to every caller. */
  tenants?: Tenants
  /** Where jobs are kept and how they are pushed back; absent: in this process, without push-back. */
  jobs?: JobsOptions
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
    routerOptions: { maxParamLength },
    // Slow clients: the request line, headers and body must all arrive within this, checked every second.
    requestTimeout: config.requestTimeoutMs,
    http: { headersTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs) },
    clientErrorHandler: clientErrorHandler(config.requestTimeoutMs),
    frameworkErrors: frameworkError,
    // The drain plugin refuses requests during close, in the error envelope.
    return503OnClosing: false,
    requestIdHeader: 'x-request-id',
    // A caller's own request id is kept when it is sane, so its logs and ours line up.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } }
  })
  app.addSchema(errorSchema)
  app.addSchema(actionSchema)
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    // Absolute-form targets (`POST http://host/v1/…`) are for proxies; the gateway takes paths only, so
    // what routing, logs and metrics see is the one form the client sent.
    done(request.raw.url?.startsWith('/') === true ? undefined : new RequestTargetInvalid())
  })
  registerFormBody(app)
  registerErrorHandler(app)
  // The services built outside (service.ts), each a decorator of its own plugin; those that use them say so.
  await app.register(configPlugin, { config })
  await app.register(actionsPlugin, { actions: deps.actions, watch: deps.watchActions })
  await app.register(warehousePlugin, { warehouse: deps.warehouse })
  await app.register(redis, { redis: deps.redis })
  await app.register(resultCache, { cache: deps.cache, maxFills: config.cache.maxFills })
  await app.register(cursorsPlugin, { cursors: deps.cursors })
  // Before every route: their hooks must see all routes, and shedding comes before any other work.
  await app.register(drain)
  await app.register(metrics)
  await app.register(loadShedding)
  await app.register(health)
  await app.register(requestLog)
  await app.register(docs, { tenants: deps.tenants })
  await app.register(healthRoutes)
  await app.register(jobs, deps.jobs ?? {})
  await app.register(v1Routes, {
    prefix: '/v1',
    tenants: deps.tenants,
    rateLimit: config.rateLimit
  })
  return app
}
