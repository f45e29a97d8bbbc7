import type { FastifyInstance } from 'fastify'
import { connectionOptions, redactedOptions } from '../warehouse/connection-options.js'
import { jdbcUrl } from '../warehouse/jdbc-url.js'

export async function connectionRoutes (app: FastifyInstance): Promise<void> {
  app.get('/connection', {
    config: { access: 'admin' },
    schema: {
      tags: ['operations'],
      summary: 'The effective Snowflake connection as a JDBC URL and driver options, secrets redacted',
      response: {
        200: {
          type: 'object',
          properties: {
            jdbcUrl: { type: 'string' },
            driverOptions: { type: 'object', additionalProperties: true },
            pool: { type: 'object', additionalProperties: true },
            pools: { type: 'array', items: { type: 'object', additionalProperties: true } }
          }
        }
      }
    }
  }, async () => {
    const { config, settings } = app.warehouse.connections
    return {
      jdbcUrl: jdbcUrl(config),
      driverOptions: redactedOptions(connectionOptions(config)),
      pool: settings,
      pools: app.warehouse.connections.stats()
    }
  })
}
