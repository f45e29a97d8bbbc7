import type { FastifyInstance } from 'fastify'
import { ActionNotFound } from '../errors.js'
import { actionIdParams } from '../schemas/action.js'
import { errorResponses } from '../schemas/error.js'
import { publicBaseUrl } from '../studio/base-url.js'
import { studioSnippet } from '../studio/snippet.js'

interface StudioRequest {
  Params: { id: string }
  Querystring: { async: boolean }
}

/** Ready-to-paste Studio SNIPPET code per action: the tenant must be allowed the action, as for running it. */
export async function studioRoutes (app: FastifyInstance): Promise<void> {
  app.get<StudioRequest>('/actions/:id/studio', {
    config: { access: 'action' },
    schema: {
      tags: ['actions'],
      summary: 'NICE CXone Studio SNIPPET code that calls this action: the request, the status branch and the paging loop',
      description: 'Plain text to paste into a SNIPPET action. The API key is the placeholder {API_KEY} (a script variable); ' +
        'the base URL is the one this request reached (X-Forwarded-Proto/-Host, else Host). With async=true: the job form, ' +
        'with its ONSIGNAL part.',
      params: actionIdParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { async: { type: 'boolean', default: false, description: 'The asynchronous form: mode async with a callback, and the ONSIGNAL handler' } }
      },
      response: {
        200: { description: 'The snippet', content: { 'text/plain': { schema: { type: 'string' } } } },
        ...errorResponses(400, 401, 403, 404)
      }
    }
  }, async (request, reply) => {
    const action = app.actions.get(request.params.id)
    if (!action) throw new ActionNotFound(request.params.id)
    const base = publicBaseUrl({
      forwardedProto: request.headers['x-forwarded-proto'],
      forwardedHost: request.headers['x-forwarded-host'],
      host: request.headers.host,
      protocol: request.protocol
    })
    const text = studioSnippet(action, { baseUrl: base.url, baseUrlFrom: base.from, async: request.query.async })
    // Built from the request's own headers: never to be served to anyone else from a shared cache.
    return await reply.type('text/plain; charset=utf-8').header('cache-control', 'private, no-store').send(text)
  })
}
