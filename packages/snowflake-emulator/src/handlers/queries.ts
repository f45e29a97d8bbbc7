// query-request, result polls, monitoring and cancel (wire doc §7, §12, §13).
import type { Binding } from '../engine/contract.js'
import type { EmulatorContext, Handler } from '../context.js'
import { failure, ok, sendJson } from '../envelope.js'
import { errors, SnowflakeError } from '../errors.js'
import { resultData } from '../results.js'
import { queryStatus, type QueryRecord } from '../statements.js'
import { sessionFor } from './session.js'

interface QueryBody {
  sqlText?: unknown
  bindings?: unknown
  parameters?: unknown
  asyncExec?: unknown
  describeOnly?: unknown
}

export const queryRequest: Handler = async (ctx, req, res) => {
  const session = sessionFor(ctx, req, res)
  if (session === null) return
  const body = (req.body ?? {}) as QueryBody
  if (typeof body.sqlText !== 'string' || body.sqlText.trim() === '') {
    return sendJson(res, 200, failure(new SnowflakeError('000900', '42000', 'SQL compilation error:\nEmpty SQL statement.')))
  }
  const requestId = req.query.get('requestId')
  // A re-send with the same requestId (driver retry) joins the original query instead of running it again.
  let q = ctx.statements.existing(session, requestId)
  if (q === undefined) {
    const httpStatus = ctx.faults.takeHttpStatus(body.sqlText)
    if (httpStatus !== null) return sendJson(res, httpStatus, failure(errors.internal(`injected HTTP ${httpStatus}`)))
    q = ctx.statements.submit(session, requestId, {
      sqlText: body.sqlText,
      bindings: isBindings(body.bindings) ? body.bindings : null,
      parameters: typeof body.parameters === 'object' && body.parameters !== null ? body.parameters as Record<string, unknown> : {},
      describeOnly: body.describeOnly === true
    })
  }
  if (body.asyncExec === true) return sendJson(res, 200, inProgress(q, '333334'))
  await answer(ctx, q, req.baseUrl, res)
}

export const queryResult: Handler = async (ctx, req, res, [queryId = '']) => {
  if (sessionFor(ctx, req, res) === null) return
  const q = ctx.statements.get(queryId)
  if (q === undefined) return sendJson(res, 200, failure(errors.queryNotFound(queryId), queryId))
  await answer(ctx, q, req.baseUrl, res)
}

export const monitoring: Handler = async (ctx, req, res, [queryId = '']) => {
  if (sessionFor(ctx, req, res) === null) return
  const q = ctx.statements.get(queryId)
  const entry = ctx.engine.history.get(queryId)
  if (q === undefined && entry === undefined) return sendJson(res, 200, ok({ queries: [] }))
  const status = q === undefined ? entry?.status ?? 'NO_DATA' : queryStatus(q)
  const error = q?.error ?? null
  sendJson(res, 200, ok({
    queries: [{
      id: queryId,
      status,
      state: status,
      sqlText: entry?.sqlText ?? q?.sqlText ?? '',
      startTime: entry?.startTime.getTime() ?? null,
      endTime: entry?.endTime?.getTime() ?? null,
      totalDuration: entry?.elapsedMs ?? 0,
      sessionId: entry?.sessionId ?? q?.session.id ?? null,
      errorCode: error?.code ?? entry?.errorCode ?? '',
      errorMessage: error?.message ?? entry?.errorMessage ?? ''
    }]
  }))
}

export const abortByQueryId: Handler = async (ctx, req, res, [queryId = '']) => {
  if (sessionFor(ctx, req, res) === null) return
  const q = ctx.statements.get(queryId)
  abortAnswer(ctx, q, res)
}

export const abortByRequestId: Handler = async (ctx, req, res) => {
  const session = sessionFor(ctx, req, res)
  if (session === null) return
  const requestId = (req.body as { requestId?: unknown } | undefined)?.requestId
  if (typeof requestId !== 'string') return sendJson(res, 400, failure(errors.badRequest('abort-request needs a requestId')))
  abortAnswer(ctx, ctx.statements.byRequestId(session, requestId), res)
}

function abortAnswer (ctx: EmulatorContext, q: QueryRecord | undefined, res: Parameters<Handler>[2]): void {
  if (q !== undefined) ctx.statements.abortsRequested.push(q.id)
  if (q === undefined || !ctx.statements.cancel(q)) return sendJson(res, 200, failure(errors.notExecuting(), q?.id))
  sendJson(res, 200, ok(null))
}

// Holds the request up to syncWaitMs, then answers 333333 so the driver long-polls getResultUrl.
async function answer (ctx: EmulatorContext, q: QueryRecord, baseUrl: string, res: Parameters<Handler>[2]): Promise<void> {
  const done = await ctx.statements.wait(q, ctx.opts.syncWaitMs)
  if (!done) return sendJson(res, 200, inProgress(q, '333333'))
  if (q.result !== null && q.state === 'success') return sendJson(res, 200, ok(resultData(q, q.result, baseUrl)))
  sendJson(res, 200, failure(q.error ?? errors.internal('query failed without an error'), q.id))
}

function inProgress (q: QueryRecord, code: '333333' | '333334'): unknown {
  return ok({
    queryId: q.id,
    getResultUrl: `/queries/${q.id}/result`,
    queryAbortsAfterSecs: 300,
    progressDesc: null
  }, code, code === '333333' ? 'Query execution in progress' : 'Asynchronous query execution in progress')
}

function isBindings (b: unknown): b is Record<string, Binding> {
  return typeof b === 'object' && b !== null && !Array.isArray(b)
}
