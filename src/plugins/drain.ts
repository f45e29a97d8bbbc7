import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ShutdownRefused, withDetails } from '../errors.js'
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
  // A plain `app.close()` (not through closeApp) fails readiness too. Fastify's own 503 for requests that
  // arrive while it closes is off (return503OnClosing): this one answers in the error envelope.
  app.addHook('preClose', async () => { drain.refuse() })
  app.addHook('onRequest', (request, reply, done) => {
    // Probes keep their own answer: readiness says not_ready, liveness ok.
    if (!drain.refusing || request.routeOptions.url?.startsWith('/health/') === true) return done()
    reply.header('connection', 'close')
    done(withDetails(new ShutdownRefused(), { retryAfterSeconds: 1 }))
  })
}

export default fp(drainPlugin, { name: 'drain' })
