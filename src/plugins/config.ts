import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Read and validated once, at start (config.ts). */
    config: Config
  }
}

async function configPlugin (app: FastifyInstance, options: { config: Config }): Promise<void> {
  app.decorate('config', options.config)
}

export default fp(configPlugin, { name: 'config' })
