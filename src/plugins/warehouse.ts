import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Warehouse } from '../warehouse/warehouse.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Snowflake: pooled connections, statements with retries, query costs. */
    warehouse: Warehouse
  }
}

// The service opens and closes the pools (service.ts): the app only uses them.
async function warehousePlugin (app: FastifyInstance, options: { warehouse: Warehouse }): Promise<void> {
  app.decorate('warehouse', options.warehouse)
}

export default fp(warehousePlugin, { name: 'warehouse' })
