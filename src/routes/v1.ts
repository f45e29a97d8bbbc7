import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Tenants } from '../auth/tenants.js'
import auth from '../plugins/auth.js'
import rateLimits, { type RateLimitSettings } from '../plugins/rate-limit.js'
import { actionRoutes } from './actions.js'
import { cacheRoutes } from './cache.js'
import { connectionRoutes } from './connection.js'
import { executeRoutes } from './execute.js'
import { jobRoutes } from './jobs.js'
import { queryRoutes } from './queries.js'
import { streamRoutes } from './stream.js'
import { studioRoutes } from './studio.js'

export interface V1Options {
  /** Absent: demo mode, open to every caller. */
  tenants?: Tenants
  rateLimit: RateLimitSettings
}

/**
 * The API under `/v1`, in one encapsulated context: authentication and rate limits are hooks of this
 * context, so they apply to every route in it, however the request spelled its URL.
 */
async function v1 (app: FastifyInstance, options: V1Options): Promise<void> {
  await app.register(auth, { tenants: options.tenants })
  await app.register(rateLimits, options.rateLimit)
  await app.register(actionRoutes)
  await app.register(executeRoutes)
  await app.register(jobRoutes)
  await app.register(streamRoutes)
  await app.register(studioRoutes)
  await app.register(cacheRoutes)
  await app.register(queryRoutes)
  await app.register(connectionRoutes)
}

// Encapsulated, so its hooks stay its own; named, so the services its routes use are checked at start.
export const v1Routes = fp(v1, {
  name: 'v1-routes',
  encapsulate: true,
  dependencies: ['config', 'actions', 'warehouse', 'result-cache', 'cursors', 'drain', 'jobs']
})
