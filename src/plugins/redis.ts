import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { RedisConnection } from '../redis/redis-connection.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The one Redis connection (cache, locks, jobs, rate limits) when REDIS_URL is set; null otherwise. */
    redis: RedisConnection | null
  }
}

// The service opens and closes the connection (service.ts); the app only uses it.
async function redisPlugin (app: FastifyInstance, options: { redis?: RedisConnection }): Promise<void> {
  app.decorate('redis', options.redis ?? null)
}

export default fp(redisPlugin, { name: 'redis' })
