import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { ResultCache } from '../cache/result-cache.js'
import { SingleFlight } from '../cache/single-flight.js'
import type { Filled } from '../execution/action-request.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Whole results of cached actions, shared by replicas when REDIS_URL is set. */
    cache: ResultCache
    /** One warehouse statement for every identical concurrent call in this process. */
    flights: SingleFlight<Filled>
  }
}

// The service opens and closes the store (service.ts); the single flight is the app's own.
async function resultCachePlugin (app: FastifyInstance, options: { cache: ResultCache }): Promise<void> {
  app.decorate('cache', options.cache)
  app.decorate('flights', new SingleFlight<Filled>())
}

export default fp(resultCachePlugin, { name: 'result-cache' })
