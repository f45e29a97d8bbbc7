import type { FastifyInstance } from 'fastify'
import type { Variables } from '../actions/load.js'
import { AsyncCursor, CallbackUnavailable, CursorInvalid, PageInvalid, CursorVariablesMismatch, withDetails } from '../errors.js'
import { checkVariables } from '../execution/checks.js'
import { renderPage } from '../execution/render-page.js'
import { runAction } from '../execution/run-action.js'
import { CursorError, type CursorPosition } from '../paging/cursor.js'
import { acceptedResponseSchema, actionIdParams, executeBodySchema, executeResponseSchema, timeoutHeaderSchema } from '../schemas/action.js'
import { errorResponses } from '../schemas/error.js'
import { beginActionCall } from './action-call.js'

interface ExecuteRequest {
  Params: { id: string }
  Body: { variables?: Variables, page?: { size?: number, cursor?: string }, mode?: 'sync' | 'async', callback?: { contactId: string } }
  Headers: { 'x-request-timeout-ms'?: number, 'cache-control'?: string, prefer?: string }
}

export async function executeRoutes (app: FastifyInstance): Promise<void> {
  app.post<ExecuteRequest>('/actions/:id/execute', {
    config: { access: 'action', rateLimit: {} },
    schema: {
      tags: ['actions'],
      summary: 'Run an action and answer one page of its rows',
      consumes: ['application/json', 'application/x-www-form-urlencoded'],
      params: actionIdParams,
      headers: timeoutHeaderSchema,
      body: executeBodySchema,
      response: { 200: executeResponseSchema, 202: acceptedResponseSchema, ...errorResponses(400, 401, 403, 404, 410, 413, 415, 422, 429, 502, 503, 504) }
    }
  }, async (request, reply) => {
    const { action, variables, call, timings } = beginActionCall(request, reply)
    if (request.body?.mode === 'async' || /\brespond-async\b/i.test(request.headers.prefer ?? '')) {
      if (request.body?.page?.cursor) throw new AsyncCursor()
      const size = request.body?.page?.size
      if (size !== undefined && size > action.page.maxSize) throw new PageInvalid(`page.size ${size} is above this action's maximum of ${action.page.maxSize}`)
      if (request.body?.callback && !app.jobs.canSignal) throw new CallbackUnavailable()
      checkVariables(action, variables)
      const job = await app.jobs.start({
        action,
        tenant: request.tenant.name,
        variables,
        pageSize: request.body?.page?.size,
        refresh: /\bno-cache\b/i.test(request.headers['cache-control'] ?? ''),
        callback: request.body?.callback,
        redaction: request.redaction
      })
      const statusUrl = `/v1/jobs/${job.id}`
      return await reply.code(202).header('location', statusUrl).header('preference-applied', 'respond-async')
        .send({ status: 'accepted', jobId: job.id, statusUrl })
    }
    try {
      let position: CursorPosition | undefined
      const cursor = request.body?.page?.cursor
      if (cursor) {
        try {
          position = app.cursors.decode(cursor, request.tenant.name, action.id, action.definitionHash)
        } catch (err) {
          if (err instanceof CursorError || err instanceof SyntaxError) throw new CursorInvalid(err.message)
          throw err
        }
        // Variables sent with a cursor must be those of its result (compared after coercion, as they were bound).
        const sent = Object.keys(variables)
        if (sent.length > 0) {
          checkVariables(action, variables)
          const differ = app.cursors.contradicted(position, action.statement.names, sent, variables)
          if (differ.length > 0) throw withDetails(new CursorVariablesMismatch(differ.join(', ')), { details: { variables: differ } })
        }
      }
      const page = await runAction(app, {
        action,
        tenant: request.tenant.name,
        refresh: /\bno-cache\b/i.test(request.headers['cache-control'] ?? ''),
        variables,
        pageSize: request.body?.page?.size,
        position,
        call,
        timings,
        log: request.log,
        redaction: request.redaction
      })
      const profile = timings.profile()
      const rendered = renderPage(action, page, profile, app.cursors, app.config.responseMaxBytes)
      return await reply
        .header('server-timing', timings.header(profile))
        .header('x-snowflake-query-id', page.queryId)
        .header('x-cache', page.cacheStatus)
        .header('x-rows', String(rendered.returned))
        .header('x-result-complete', String(page.complete))
        .type('application/json; charset=utf-8')
        .send(rendered.body)
    } catch (err) {
      reply.header('server-timing', timings.header())
      throw err
    } finally {
      call.dispose()
    }
  })
}
