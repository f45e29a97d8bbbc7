import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { ResultCache } from '../cache/result-cache.js'
import { SingleFlight } from '../cache/single-flight.js'
import type { Filled } from '../execution/action-request.js'
import { FillSlots } from '../execution/fill-slots.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Whole results of cached actions, shared by replicas when REDIS_URL is set. */
    cache: ResultCache
    /** One warehouse statement for every identical concurrent call in this process. */
    flights: SingleFlight<Filled>
    /** Cache fills at once in this process (CACHE_MAX_FILLS); a miss past them is answered and not stored. */
    fills: FillSlots
  }
}

// The service opens and closes the store (service.ts); the single flight is the app's own.
async function resultCachePlugin (app: FastifyInstance, options: { cache: ResultCache, maxFills: number }): Promise<void> {
  app.decorate('cache', options.cache)
  app.decorate('flights', new SingleFlight<Filled>())
  app.decorate('fills', new FillSlots(options.maxFills))
}

export default fp(resultCachePlugin, { name: 'result-cache' })
