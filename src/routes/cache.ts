import type { FastifyInstance } from 'fastify'
import { ActionNotFound, CacheUnavailable, withDetails } from '../errors.js'
import { actionIdParams } from '../schemas/action.js'
import { errorResponses } from '../schemas/error.js'

export async function cacheRoutes (app: FastifyInstance): Promise<void> {
  app.delete<{ Params: { id: string } }>('/actions/:id/cache', {
    config: { access: 'admin' },
    schema: {
      tags: ['operations'],
      summary: 'Drop every cached result of an action (all tenants)',
      params: actionIdParams,
      response: {
        200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, action: { type: 'string' }, deleted: { type: 'integer' } } },
        ...errorResponses(401, 403, 404, 503)
      }
    }
  }, async (request) => {
    const action = app.actions.get(request.params.id)
    if (!action) throw new ActionNotFound(request.params.id)
    try {
      return { status: 'ok', action: action.id, deleted: await app.cache.invalidate(action.id) }
    } catch (err) {
      throw withDetails(new CacheUnavailable((err as Error).message), { retryAfterSeconds: 5 })
    }
  })
}
