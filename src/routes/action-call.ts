import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Action, Variables } from '../actions/load.js'
import { ActionNotFound } from '../errors.js'
import { budgetOf, Call, CallerGone } from '../execution/call.js'
import { guardSensitiveValues } from '../plugins/request-log.js'
import { Timings } from '../timings.js'

export interface ActionCallRequest {
  Params: { id: string }
  Body: { variables?: Variables } | undefined
  Headers: { 'x-request-timeout-ms'?: number }
}

export interface ActionCall {
  action: Action
  variables: Variables
  call: Call
  timings: Timings
}

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
 * What execute and stream both begin with: the action, its variables' sensitive values guarded, and the one
 * Call that owns every reason to stop: the deadline (the action's, lowered by `X-Request-Timeout-Ms`), the
 * caller hanging up before its answer is written, and a shutdown whose grace ran out.
 */
export function beginActionCall (request: FastifyRequest<ActionCallRequest>, reply: FastifyReply): ActionCall {
  const action = request.server.actions.get(request.params.id)
  if (!action) throw new ActionNotFound(request.params.id)
  const variables = request.body?.variables ?? {}
  guardSensitiveValues(request, reply, sensitiveValues(action, variables))
  const response = reply.raw
  const call = new Call(budgetOf(action.timeoutMs, request.headers['x-request-timeout-ms']), (linked) => {
    const hungUp = (): void => {
      if (!response.writableFinished) linked.abort(new CallerGone())
    }
    if (response.destroyed) hungUp()
    else response.once('close', hungUp)
    request.server.drain.track(linked, response)
  })
  return { action, variables, call, timings: new Timings() }
}
