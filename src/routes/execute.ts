import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Action, Variables } from '../actions/load.js'
import { ActionNotFound, CursorInvalid } from '../errors.js'
import { CallerGone, Deadline } from '../execution/deadline.js'
import { renderPage } from '../execution/render-page.js'
import { runAction } from '../execution/run-action.js'
import { CursorError, type CursorPosition } from '../paging/cursor.js'
import { guardSensitiveValues } from '../plugins/request-log.js'
import { actionIdParams, executeBodySchema, executeResponseSchema } from '../schemas/action.js'
import { errorResponses } from '../schemas/error.js'
import { Timings } from '../timings.js'

interface ExecuteRequest {
  Params: { id: string }
  Body: { variables?: Variables, page?: { size?: number, cursor?: string } }
  Headers: { 'x-request-timeout-ms'?: number, 'cache-control'?: string }
}

export const timeoutHeaderSchema = {
  type: 'object',
  properties: {
    'x-request-timeout-ms': { type: 'integer', minimum: 1, description: 'Lowers the action\'s deadline to what the caller will wait' }
  }
} as const

/**
 * The values of the action's sensitive variables as the caller sent them and as they are bound (objects as
 * JSON), to keep them out of logs and answers; null when it has none.
 */
export function sensitiveValues (action: Action, variables: Variables | undefined): string[] | null {
  if (action.sensitive.length === 0) return null
  return action.sensitive.map((name) => variables?.[name]).filter((value) => value !== undefined && value !== null)
    .map((value) => typeof value === 'object' ? JSON.stringify(value) : String(value))
}

/**
 * A signal that aborts when the caller hangs up before its answer is written, so its statement can be
 * cancelled. The deadline asks for it only when there is warehouse work to cancel.
 */
export function callerGoneSignal (reply: FastifyReply): () => AbortSignal {
  return () => {
    const response = reply.raw
    const controller = new AbortController()
    const hungUp = (): void => {
      if (!response.writableFinished) controller.abort(new CallerGone())
    }
    if (response.destroyed) hungUp()
    else response.once('close', hungUp)
    // A shutdown whose grace period runs out cancels the request through the same signal.
    reply.server.drain.track(controller, response)
    return controller.signal
  }
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
      response: { 200: executeResponseSchema, ...errorResponses(400, 401, 403, 404, 410, 413, 415, 422, 429, 502, 503, 504) }
    }
  }, async (request, reply) => {
    const action = app.actions.get(request.params.id)
    if (!action) throw new ActionNotFound(request.params.id)
    const variables = request.body?.variables ?? {}
    guardSensitiveValues(request, reply, sensitiveValues(action, variables))
    const timings = new Timings()
    const deadline = new Deadline(action.timeoutMs, request.headers['x-request-timeout-ms'], callerGoneSignal(reply))
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
      }
      const page = await runAction(app, {
        action,
        tenant: request.tenant.name,
        refresh: /\bno-cache\b/i.test(request.headers['cache-control'] ?? ''),
        variables,
        pageSize: request.body?.page?.size,
        position,
        deadline,
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
        .type('application/json; charset=utf-8')
        .send(rendered.body)
    } catch (err) {
      reply.header('server-timing', timings.header())
      throw err
    } finally {
      deadline.dispose()
    }
  })
}
