import { ResultExpired } from '../errors.js'
import type { CursorPosition } from '../paging/cursor.js'
import type { RowTexts } from '../row-texts.js'
import { checkRequestVariables, readOf, resultKeyOf, type ActionContext, type ActionPage, type ActionRequest, type CacheStatus } from './action-request.js'
import { statementOf } from './binds.js'

/**
 * The page a cursor points at: from the result cache; else from Snowflake's persisted result by query id; and
 * only when both are gone, by running the SQL again, if the caller sent the variables the cursor was made from.
 */
export async function continueResult (ctx: ActionContext, request: ActionRequest, position: CursorPosition): Promise<ActionPage> {
  const { action, timings } = request
  const { offset, size, queryId, resultKey: key } = position
  const page = (rows: RowTexts, from: string, totalRows: number, source: ActionPage['source'], cacheStatus: CacheStatus): ActionPage => ({
    tenant: request.tenant,
    queryId: from,
    resultKey: key,
    rows,
    offset,
    size,
    available: Math.min(totalRows, action.maxRows),
    complete: totalRows <= action.maxRows,
    variableDigests: position.variables,
    source,
    cacheStatus
  })
  let status: CacheStatus = 'BYPASS'
  if (action.cache.ttlSeconds > 0) {
    const start = performance.now()
    const read = await ctx.cache.read(key, offset, size, action.page.defaultSize, queryId)
    timings.since('cache', start)
    if (read.status === 'hit') {
      ctx.cache.countLookup('hit')
      return page(read.rows, queryId, read.result.complete ? read.result.rowCount : action.maxRows + 1, 'cache', 'HIT')
    }
    status = read.status === 'miss' ? 'MISS' : 'BYPASS'
  }
  const end = Math.min(offset + size, action.maxRows)
  try {
    const { read, kept } = readOf(request, offset, end)
    await ctx.warehouse.resume(queryId, read)
    const result = kept()
    return page(result.rows, queryId, result.totalRows, 'warehouse', status)
  } catch (error) {
    if (!resultGone(error)) throw error
  }
  if (Object.keys(request.variables).length === 0) throw new ResultExpired()
  checkRequestVariables(request)
  if (resultKeyOf(ctx, request) !== key) throw new ResultExpired()
  const { read, kept } = readOf(request, offset, end)
  await ctx.warehouse.query(statementOf(action, request.variables), read)
  const result = kept()
  return page(result.rows, result.queryId, result.totalRows, 'warehouse', status)
}

/** Snowflake no longer has the statement's result (persisted results last 24 hours). */
function resultGone (error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '000709'
}
