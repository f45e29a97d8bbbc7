import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Readiness } from '../health/readiness.js'

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness
  }
}

/** Readiness of the app's own dependencies, for `GET /health/ready`. */
async function healthPlugin (app: FastifyInstance): Promise<void> {
  app.decorate('readiness', new Readiness({
    actionCount: () => app.actions.size,
    connections: app.warehouse.connections,
    cache: app.cache,
    closing: () => app.drain.closing
  }, app.config.health))
}

export default fp(healthPlugin, { name: 'health', dependencies: ['config', 'actions', 'warehouse', 'result-cache', 'drain'] })
