import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Drain } from '../shutdown.js'

declare module 'fastify' {
  interface FastifyInstance {
    drain: Drain
  }
}

/** The app's shutdown state, shared by readiness, the routes' deadlines and `closeApp`. */
async function drainPlugin (app: FastifyInstance): Promise<void> {
  const drain = new Drain()
  app.decorate('drain', drain)
  // A plain `app.close()` (not through closeApp) fails readiness too.
  app.addHook('preClose', async () => { drain.begin() })
}

export default fp(drainPlugin, { name: 'drain' })
