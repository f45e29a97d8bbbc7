import type { FastifyInstance } from 'fastify'
import type { Action } from '../actions/load.js'
import { mayRun } from '../auth/tenants.js'
import { ActionNotFound } from '../errors.js'
import { actionIdParams } from '../schemas/action.js'
import { errorResponses } from '../schemas/error.js'

function describeAction (action: Action): Record<string, unknown> {
  const { id, version, description, input, output, cache, timeoutMs, maxRows, page } = action
  return { id, version, description, input, output, cache, timeoutMs, maxRows, page, async: action.async }
}

export async function actionRoutes (app: FastifyInstance): Promise<void> {
  app.get('/actions', {
    config: { access: 'tenant' },
    schema: {
      tags: ['actions'],
      summary: 'The actions this gateway runs, with their input and output schemas',
      response: { 200: { type: 'object', properties: { actions: { type: 'array', items: { $ref: 'Action#' } } } } }
    }
  }, async (request) => ({ actions: [...app.actions.values()].filter((a) => mayRun(request.tenant, a.id)).map(describeAction) }))

  app.get<{ Params: { id: string } }>('/actions/:id', {
    config: { access: 'action' },
    schema: {
      tags: ['actions'],
      summary: 'One action',
      params: actionIdParams,
      response: { 200: { $ref: 'Action#' }, ...errorResponses(401, 403, 404) }
    }
  }, async (request) => {
    const action = app.actions.get(request.params.id)
    if (!action) throw new ActionNotFound(request.params.id)
    return describeAction(action)
  })
}
