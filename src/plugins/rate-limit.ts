import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit'
import LocalStore from '@fastify/rate-limit/store/LocalStore.js'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { RateLimited } from '../errors.js'
import { RedisRateLimitStore } from '../redis/rate-limit-store.js'

export interface RateLimitSettings {
  /** Requests per tenant and action in each window, unless the tenant sets its own; 0 turns limits off. */
  max: number
  windowSeconds: number
}

type Counted = Parameters<FastifyRateLimitStore['incr']>[1]

/**
 * Counts in Redis so a limit holds across replicas; when Redis does not answer (or its breaker is open), counts
 * in this process instead (each replica then limits on its own) and warns, rather than failing the request.
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
  let store: (new () => FastifyRateLimitStore) | undefined
  const redis = app.redis
  if (redis) {
    let lastWarning = 0
    const warn = (err: Error): void => {
      if (Date.now() - lastWarning < 30_000) return
      lastWarning = Date.now()
      app.log.warn({ err }, 'rate limits: Redis unavailable, counting in this process until it returns')
    }
    const shared = new RedisRateLimitStore(redis, 'gw-rate-')
    store = class extends FallbackStore {
      constructor () {
        super(shared, new LocalStore(false, false, 10_000), warn)
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
}

// After auth, in the same context: limits are counted per tenant, in the Redis the service connected.
export default fp(rateLimits, { name: 'rate-limits', dependencies: ['auth', 'redis'] })
