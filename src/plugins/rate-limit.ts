import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit'
import LocalStore from '@fastify/rate-limit/store/LocalStore.js'
import RedisStore from '@fastify/rate-limit/store/RedisStore.js'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import { RateLimited } from '../errors.js'

export interface RateLimitSettings {
  /** Requests per tenant and action in each window, unless the tenant sets its own; 0 turns limits off. */
  max: number
  windowSeconds: number
  redisUrl?: string
}

type Counted = Parameters<FastifyRateLimitStore['incr']>[1]

/**
 * Counts in Redis so a limit holds across replicas; when Redis does not answer, counts in this
 * process instead (each replica then limits on its own) and warns, rather than failing the request.
 */
class FallbackStore implements FastifyRateLimitStore {
  constructor (readonly shared: FastifyRateLimitStore, readonly local: FastifyRateLimitStore, readonly onFallback: (err: Error) => void) {}

  incr (key: string, counted: Counted, timeWindow: number, max: number): void {
    this.shared.incr(key, (err, result) => {
      if (!err) return counted(null, result)
      this.onFallback(err)
      this.local.incr(key, counted, timeWindow, max)
    }, timeWindow, max)
  }

  child (routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    return new FallbackStore(this.shared.child(routeOptions), this.local.child(routeOptions), this.onFallback)
  }
}

async function rateLimits (app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  if (settings.max === 0) return
  let redis: Redis | undefined
  let store: (new () => FastifyRateLimitStore) | undefined
  if (settings.redisUrl) {
    // No offline queue and a short command timeout: a Redis that is away answers with an error at once.
    const client = new Redis(settings.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 200 })
    client.on('error', () => {})
    redis = client
    let lastWarning = 0
    const warn = (err: Error): void => {
      if (Date.now() - lastWarning < 30_000) return
      lastWarning = Date.now()
      app.log.warn({ err }, 'rate limits: Redis unavailable, counting in this process until it returns')
    }
    store = class extends FallbackStore {
      constructor () {
        super(new RedisStore(false, false, client, 'gw-rate-'), new LocalStore(false, false, 10_000), warn)
      }
    }
  }
  const limitOf = (tenantMax: number | undefined): number => tenantMax ?? settings.max
  await app.register(rateLimit, {
    global: false,
    // After authentication, which names the tenant.
    hook: 'preHandler',
    ...(store ? { store } : {}),
    keyGenerator: (request) => `${request.tenant.name}:${(request.params as { id?: string }).id ?? ''}`,
    max: (request) => limitOf(request.tenant.rateLimit?.max),
    timeWindow: (request) => (request.tenant.rateLimit?.windowSeconds ?? settings.windowSeconds) * 1000,
    errorResponseBuilder: (request, context) =>
      new RateLimited(context.max, request.tenant.rateLimit?.windowSeconds ?? settings.windowSeconds, Math.ceil(context.ttl / 1000))
  })
  app.addHook('onClose', async () => { redis?.disconnect() })
}

// After auth, in the same context: limits are counted per tenant.
export default fp(rateLimits, { name: 'rate-limits', dependencies: ['auth'] })
